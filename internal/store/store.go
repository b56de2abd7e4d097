// Package store provides the dossier records in PostgreSQL: creating a
// dossier idempotently, reading and updating its documents, and completing a
// stage exactly once through the stage_runs inbox. PostgreSQL is the system
// of record; every write here is keyed so that a redelivered message or a
// retried commit writes nothing twice.
package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Store reads and writes dossiers.
type Store struct {
	Pool *pgxpool.Pool

	commits groupCommit
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Pool: pool} }

// NewDossier is a submission to record.
type NewDossier struct {
	ID             string
	ProcedureCode  string
	ApplicantID    string
	Agency         string
	IdempotencyKey string
	// IdempotencyScope is where the key is unique (agency and credential);
	// RequestHash identifies the request, so that a reused key with another
	// request is told apart from a retry.
	IdempotencyScope string
	RequestHash      string
	SubmittedAt      time.Time
	Metadata         map[string]any
	Documents        []NewDocument
}

// NewDocument is one submitted file, already in the object store.
type NewDocument struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	ObjectKey   string
}

// Created says which dossier a submission is.
type Created struct {
	ID          string
	Created     bool   // false: the key was used before, nothing written
	RequestHash string // of the request that created the dossier
}

// CreateDossier records d and its documents in one transaction. When
// d.IdempotencyKey was used before in d.IdempotencyScope, it returns the
// existing dossier with Created false, and writes nothing.
func (s *Store) CreateDossier(ctx context.Context, d NewDossier) (Created, error) {
	c := Created{ID: d.ID, RequestHash: d.RequestHash}
	meta, err := cleanJSON(nonNil(d.Metadata))
	if err != nil {
		return Created{}, err
	}
	var key any
	if d.IdempotencyKey != "" {
		key = d.IdempotencyKey
	}
	n := len(d.Documents)
	ids, names, types, sums, objs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	sizes := make([]int64, n)
	for i, doc := range d.Documents {
		ids[i], names[i], types[i], sizes[i], sums[i], objs[i] = DocumentID(d.ID, i+1), vntext.Clean(doc.Filename), doc.ContentType, doc.Size, doc.SHA256, doc.ObjectKey
	}
	// One statement, so one round trip and its own transaction: the
	// documents are inserted only with a new dossier row (their foreign key
	// is checked at the statement's end, when the row exists).
	var created bool
	err = s.Pool.QueryRow(ctx, `WITH d AS (
			INSERT INTO dossiers (id, procedure_code, applicant_id, agency, idempotency_key, idempotency_scope, request_hash, submitted_at, metadata, stage, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'intake', 'received')
			ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING
			RETURNING id
		), docs AS (
			INSERT INTO documents (id, dossier_id, ordinal, filename, content_type, size_bytes, sha256, object_key)
			SELECT u.id, d.id, u.ord, u.filename, u.content_type, u.size_bytes, u.sha256, u.object_key
			FROM d, unnest($10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15::text[])
				WITH ORDINALITY AS u(id, filename, content_type, size_bytes, sha256, object_key, ord)
		)
		SELECT EXISTS (SELECT 1 FROM d)`,
		d.ID, d.ProcedureCode, d.ApplicantID, d.Agency, key, d.IdempotencyScope, d.RequestHash, d.SubmittedAt, meta,
		ids, names, types, sizes, sums, objs).Scan(&created)
	if err == nil && !created {
		err = s.Pool.QueryRow(ctx, `SELECT id, request_hash FROM dossiers WHERE idempotency_scope = $1 AND idempotency_key = $2`,
			d.IdempotencyScope, d.IdempotencyKey).Scan(&c.ID, &c.RequestHash)
	}
	if err != nil {
		return Created{}, fmt.Errorf("create dossier: %w", err)
	}
	c.Created = created
	return c, nil
}

// DocumentID is the id of the ordinal-th document of a dossier.
func DocumentID(dossierID string, ordinal int) string {
	return fmt.Sprintf("%s-d%d", dossierID, ordinal)
}

// ErrNotFound is wrapped by lookups of missing rows.
var ErrNotFound = dossier.Errorf(dossier.CodeNotFound, "không tìm thấy (not found)")

// Dossier returns the header of dossier id.
func (s *Store) Dossier(ctx context.Context, id string) (dossier.Dossier, error) {
	var d dossier.Dossier
	var meta []byte
	err := s.Pool.QueryRow(ctx, `SELECT id, procedure_code, applicant_id, agency, submitted_at, status, stage, pipeline_version, metadata
		FROM dossiers WHERE id = $1`, id).Scan(&d.ID, &d.ProcedureCode, &d.ApplicantID, &d.Agency, &d.SubmittedAt, &d.Status, &d.Stage, &d.PipelineVersion, &meta)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", id)
	}
	if err != nil {
		return d, fmt.Errorf("read dossier %s: %w", id, err)
	}
	_ = json.Unmarshal(meta, &d.Metadata)
	return d, nil
}

// Document is a document row with what the stages need.
type Document struct {
	dossier.Document
	Ordinal   int
	ObjectKey string
	PageTexts []string
}

// Documents returns the documents of a dossier in submission order.
func (s *Store) Documents(ctx context.Context, dossierID string) ([]Document, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, ordinal, filename, content_type, size_bytes, sha256, object_key, pages,
			extraction_status, extraction_error, page_texts, doc_type, confidence, classification, fields, needs_review, signatures
		FROM documents WHERE dossier_id = $1 ORDER BY ordinal`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", dossierID, err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		var texts, class, fields, sigs []byte
		if err := rows.Scan(&d.ID, &d.Ordinal, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.ObjectKey, &d.Pages,
			&d.ExtractionStatus, &d.ExtractionError, &texts, &d.Type, &d.Confidence, &class, &fields, &d.NeedsReview, &sigs); err != nil {
			return nil, err
		}
		decodeDocument(&d, texts, class, fields, sigs)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DossierDocuments returns what Dossier and Documents return, in one
// query: every document stage starts by reading both (#18).
func (s *Store) DossierDocuments(ctx context.Context, id string) (dossier.Dossier, []Document, error) {
	var d dossier.Dossier
	rows, err := s.Pool.Query(ctx, `SELECT x.id, x.procedure_code, x.applicant_id, x.agency, x.submitted_at, x.status, x.stage, x.pipeline_version, x.metadata,
			d.id, d.ordinal, d.filename, d.content_type, d.size_bytes, d.sha256, d.object_key, d.pages,
			d.extraction_status, d.extraction_error, d.page_texts, d.doc_type, d.confidence, d.classification, d.fields, d.needs_review, d.signatures
		FROM dossiers x JOIN documents d ON d.dossier_id = x.id WHERE x.id = $1 ORDER BY d.ordinal`, id)
	if err != nil {
		return d, nil, fmt.Errorf("read dossier %s: %w", id, err)
	}
	defer rows.Close()
	var out []Document
	var meta []byte
	for rows.Next() {
		var doc Document
		var texts, class, fields, sigs []byte
		if err := rows.Scan(&d.ID, &d.ProcedureCode, &d.ApplicantID, &d.Agency, &d.SubmittedAt, &d.Status, &d.Stage, &d.PipelineVersion, &meta,
			&doc.ID, &doc.Ordinal, &doc.Filename, &doc.ContentType, &doc.Size, &doc.SHA256, &doc.ObjectKey, &doc.Pages,
			&doc.ExtractionStatus, &doc.ExtractionError, &texts, &doc.Type, &doc.Confidence, &class, &fields, &doc.NeedsReview, &sigs); err != nil {
			return d, nil, fmt.Errorf("read dossier %s: %w", id, err)
		}
		decodeDocument(&doc, texts, class, fields, sigs)
		out = append(out, doc)
	}
	if err := rows.Err(); err != nil {
		return d, nil, fmt.Errorf("read dossier %s: %w", id, err)
	}
	if len(out) == 0 {
		// No documents (or no dossier): the header alone says which.
		d, err = s.Dossier(ctx, id)
		return d, nil, err
	}
	_ = json.Unmarshal(meta, &d.Metadata)
	return d, out, nil
}

func decodeDocument(d *Document, texts, class, fields, sigs []byte) {
	_ = json.Unmarshal(sigs, &d.Signatures)
	_ = json.Unmarshal(texts, &d.PageTexts)
	_ = json.Unmarshal(class, &d.Classification)
	_ = json.Unmarshal(fields, &d.Fields)
}

// Extraction is what the extract stage learnt about one document.
type Extraction struct {
	DocumentID  string
	Status      string
	Error       string
	Extractor   string
	PageTexts   []string
	NeedsReview bool
	Signatures  []pdfsig.Signature // a PDF's verified signatures
}

// Classification is what the classify stage learnt about one document.
type Classification struct {
	DocumentID  string
	Type        string
	Confidence  float64
	Details     map[string]any
	Fields      []dossier.Field
	NeedsReview bool
}

// StageRun identifies one execution of a stage for the inbox.
type StageRun struct {
	DossierID string
	Stage     string
	InputHash string
	StartedAt time.Time
	Delivery  int
	Detail    string
}

// Effects are written inside CompleteStage's transaction.
type Effects struct {
	Extractions     []Extraction
	Classifications []Classification
	Findings        []dossier.Finding
	Suggestions     []dossier.Suggestion
	PipelineVersion string // recorded on the dossier when set (intake)
	Status          string // new dossier status when set
}

// CompleteStage writes a stage's effects exactly once: it inserts the
// stage_runs row keyed by (dossier, stage, input hash) and, only when that
// row is new, writes eff and moves the dossier to next. It returns
// applied=false when the run was already recorded (a redelivery), in which
// case the caller must still publish the next stage, since the earlier
// attempt may have died between commit and publish.
//
// Calls that arrive while commits are in flight are committed together, in
// one transaction sent as one pipeline (group commit): a trivial stage's
// cost is its round trip and its transaction, and concurrent handlers share
// both. The group's inbox rows, their dossiers' moves and their findings
// are one statement over arrays (completeRuns), not two statements a call:
// PostgreSQL's cost of a trivial stage was mostly those statements' own
// (bind, executor start, the inbox guard), not their rows. Each call's
// writes stay guarded by its own inbox row, so sharing a transaction
// changes no effect; a group that fails is retried call by call, so one bad
// call cannot fail the others.
func (s *Store) CompleteStage(ctx context.Context, run StageRun, next string, eff Effects) (applied bool, err error) {
	status := eff.Status
	if status == "" {
		status = dossier.StatusProcessing
		if next == dossier.StageDone {
			status = dossier.StatusPrechecked
		}
	}
	// The inbox row and the dossier's move are written for the whole
	// group in one statement (commitBatch); the effects queued here follow
	// it, each guarded by this call's inbox row.
	g := guarded{b: &pgx.Batch{}, run: run, f: &findingRows{}}
	if err := queueEffects(g, run.DossierID, eff); err != nil {
		return false, fmt.Errorf("complete stage %s of %s: %w", run.Stage, run.DossierID, err)
	}
	c := &completion{g: g, next: next, status: status, version: eff.PipelineVersion, done: make(chan struct{})}
	s.commits.run(ctx, c, s.commitGroup)
	if c.err != nil {
		return false, fmt.Errorf("complete stage %s of %s: %w", run.Stage, run.DossierID, c.err)
	}
	return c.applied, nil
}

// completion is one CompleteStage call waiting for its group's commit.
type completion struct {
	g       guarded
	next    string // the dossier's stage, status and pipeline version
	status  string // after the move
	version string
	done    chan struct{}
	lead    bool // set instead of a result: commit the next group
	applied bool
	err     error
}

func (c *completion) key() string { return c.g.run.DossierID }

// maxGroup bounds the calls in one transaction; maxInFlight the groups
// committing at once (the next group is gathered while one commits).
const (
	maxGroup    = 64
	maxInFlight = 2
)

// groupCommit gathers concurrent completions. A caller that finds fewer
// than maxInFlight groups committing leads: it commits itself with
// everything waiting, then hands the lead to the first caller left waiting,
// so no goroutine outlives its call.
type groupCommit struct {
	mu       sync.Mutex
	waiting  []*completion
	inFlight int
}

func (gc *groupCommit) run(ctx context.Context, c *completion, commit func(context.Context, []*completion)) {
	gc.mu.Lock()
	lead := gc.inFlight < maxInFlight
	if lead {
		gc.inFlight++
	} else {
		gc.waiting = append(gc.waiting, c)
	}
	gc.mu.Unlock()
	if !lead {
		<-c.done // the leader commits with its own bounded context
		if !c.lead {
			return
		}
	}
	group := gc.take(c)
	commit(ctx, group)
	for _, m := range group[1:] {
		close(m.done)
	}
	gc.mu.Lock()
	if len(gc.waiting) > 0 {
		nl := gc.waiting[0]
		gc.waiting = gc.waiting[1:]
		nl.lead = true
		close(nl.done)
	} else {
		gc.inFlight--
	}
	gc.mu.Unlock()
}

// take returns c and up to maxGroup-1 waiting completions, leaving behind
// any whose dossier is already in the group: two deliveries of one run in
// one transaction would both find "their" inbox row new, and the group's
// move (one UPDATE … FROM for every call) can move a dossier only once.
func (gc *groupCommit) take(c *completion) []*completion {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	group := []*completion{c}
	seen := map[string]bool{c.key(): true}
	rest := gc.waiting[:0]
	for _, w := range gc.waiting {
		if len(group) < maxGroup && !seen[w.key()] {
			seen[w.key()] = true
			group = append(group, w)
		} else {
			rest = append(rest, w)
		}
	}
	clear(gc.waiting[len(rest):])
	gc.waiting = rest
	return group
}

// commitGroup writes a group in one transaction and one round trip, and
// sets each completion's result; a failed group is written call by call.
func (s *Store) commitGroup(ctx context.Context, group []*completion) {
	err := s.commitBatch(ctx, group)
	if err == nil || len(group) == 1 {
		for _, c := range group {
			c.err = err
		}
		return
	}
	for _, c := range group {
		c.err = s.commitBatch(ctx, []*completion{c})
	}
}

func (s *Store) commitBatch(ctx context.Context, group []*completion) error {
	n := len(group)
	ids, stages, hashes, details, nexts, statuses, versions := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	started, deliveries := make([]time.Time, n), make([]int32, n)
	for i, c := range group {
		r := c.g.run
		ids[i], stages[i], hashes[i], details[i], started[i], deliveries[i] = r.DossierID, r.Stage, r.InputHash, r.Detail, r.StartedAt, int32(r.Delivery)
		nexts[i], statuses[i], versions[i] = c.next, c.status, c.version
	}
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	// A stage's effects are derived data: a commit lost to a crash of
	// PostgreSQL leaves the dossier in its previous stage, where the
	// reconciler publishes it again and the stage recomputes them. Not
	// waiting for the WAL flush takes the fsync off every stage.
	b.Queue(`SET LOCAL synchronous_commit = off`)
	// Every call's inbox row and its dossier's move, in one statement: a
	// dossier moves only when its row is new, and the ordinals returned
	// say which calls that was. The effects that follow are guarded by
	// their call's row.
	f := groupFindings(group)
	b.Queue(completeRuns, ids, stages, hashes, started, deliveries, details, nexts, statuses, versions,
		f.dossiers, f.keys, f.kinds, f.reqs, f.status, f.evidence, f.docs, f.sev, f.cits, f.dets)
	for _, c := range group {
		// Queued afresh: pgx keeps a statement description in a queued
		// query, which a failed group may have left stale for the retry.
		for _, q := range c.g.b.QueuedQueries {
			b.Queue(q.SQL, q.Arguments...)
		}
	}
	b.Queue(`COMMIT`)
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection given back inside a transaction (an error, a cancelled
	// context) is closed by the pool, never reused.
	defer conn.Release()
	br := conn.SendBatch(ctx, b)
	applied := make([]bool, n)
	for i := 0; i < 2 && err == nil; i++ {
		_, err = br.Exec()
	}
	if err == nil {
		var rows pgx.Rows
		rows, err = br.Query()
		for err == nil && rows.Next() {
			var ord int64
			if err = rows.Scan(&ord); err == nil && ord >= 1 && ord <= int64(n) {
				applied[ord-1] = true
			}
		}
		if rows != nil {
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
	}
	for _, c := range group {
		for range c.g.b.QueuedQueries {
			if err != nil {
				break
			}
			_, err = br.Exec()
		}
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_, _ = conn.Exec(ctx, `ROLLBACK`)
		return err
	}
	for i, c := range group {
		c.applied = applied[i]
	}
	return nil
}

// completeRuns inserts a group's inbox rows and, for each row that is new,
// moves its dossier and writes its call's findings (keyed by dossier: a
// group holds a dossier once, see take, so the UPDATE … FROM meets each
// dossier row once and no finding's key twice). It returns the (1-based)
// ordinals of the calls that applied.
const completeRuns = `WITH v AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
			WITH ORDINALITY AS v(dossier_id, stage, input_hash, started_at, delivery, detail, next, status, version, ord)
	), r AS (
		INSERT INTO stage_runs (dossier_id, stage, input_hash, started_at, delivery, detail)
		SELECT dossier_id, stage, input_hash, started_at, delivery, detail FROM v ORDER BY ord
		ON CONFLICT DO NOTHING RETURNING dossier_id
	), f AS (
		INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, document_id, severity, citations, details)
		SELECT u.dossier_id, u.key, u.kind, u.requirement, u.status, u.evidence, u.document_id, u.severity, u.citations::jsonb, u.details::jsonb
		FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
			WITH ORDINALITY AS u(dossier_id, key, kind, requirement, status, evidence, document_id, severity, citations, details, ord)
		JOIN r ON r.dossier_id = u.dossier_id
		ORDER BY u.ord
		ON CONFLICT (dossier_id, key) DO UPDATE SET kind = EXCLUDED.kind, requirement = EXCLUDED.requirement,
			status = EXCLUDED.status, evidence = EXCLUDED.evidence, document_id = EXCLUDED.document_id,
			severity = EXCLUDED.severity, citations = EXCLUDED.citations, details = EXCLUDED.details
	)
	UPDATE dossiers d SET stage = v.next, stage_since = now(), status = v.status, updated_at = now(),
		pipeline_version = CASE WHEN v.version = '' THEN d.pipeline_version ELSE v.version END
	FROM r JOIN v ON v.dossier_id = r.dossier_id
	WHERE d.id = r.dossier_id
	RETURNING v.ord`

// guarded queues statements that apply only when this transaction
// inserted run's inbox row: {{new}} in the SQL becomes that condition.
type guarded struct {
	b   *pgx.Batch
	run StageRun
	// f are the call's findings when their keys are distinct: the group
	// writes every call's in its inbox statement (completeRuns).
	f *findingRows
}

// findingRows are findings as the columns of completeRuns's arrays.
type findingRows struct {
	dossiers, keys, kinds, reqs, status, evidence, sev, cits, dets []string
	docs                                                           []*string
}

// groupFindings gathers the findings of a group's calls, each row with its
// call's dossier.
func groupFindings(group []*completion) findingRows {
	n := 0
	for _, c := range group {
		n += len(c.g.f.keys)
	}
	f := findingRows{dossiers: make([]string, 0, n), keys: make([]string, 0, n), kinds: make([]string, 0, n), reqs: make([]string, 0, n),
		status: make([]string, 0, n), evidence: make([]string, 0, n), sev: make([]string, 0, n), cits: make([]string, 0, n),
		dets: make([]string, 0, n), docs: make([]*string, 0, n)}
	for _, c := range group {
		o := c.g.f
		for range o.keys {
			f.dossiers = append(f.dossiers, c.g.run.DossierID)
		}
		f.keys, f.kinds, f.reqs = append(f.keys, o.keys...), append(f.kinds, o.kinds...), append(f.reqs, o.reqs...)
		f.status, f.evidence, f.sev, f.cits = append(f.status, o.status...), append(f.evidence, o.evidence...), append(f.sev, o.sev...), append(f.cits, o.cits...)
		f.dets, f.docs = append(f.dets, o.dets...), append(f.docs, o.docs...)
	}
	return f
}

func (g guarded) queue(sql string, args ...any) {
	n := len(args)
	cond := fmt.Sprintf(`EXISTS (SELECT 1 FROM stage_runs r WHERE r.dossier_id = $%d AND r.stage = $%d AND r.input_hash = $%d
		AND r.xmin = pg_current_xact_id()::xid)`, n+1, n+2, n+3)
	g.b.Queue(strings.ReplaceAll(sql, "{{new}}", cond), append(args, g.run.DossierID, g.run.Stage, g.run.InputHash)...)
}

// queueEffects adds eff's writes to the batch. Every text is cleaned
// (vntext.Clean) first: PostgreSQL refuses NUL in text and jsonb, and one
// bad document must not cost a dossier its report.
//
// A stage's findings go into its group's inbox statement (completeRuns),
// as arrays, not one statement a finding: a check stage's dozen findings
// were a dozen statements, each with its own inbox guard. Findings that
// repeat a key are written row by row, in order, as before: one statement
// cannot update a row twice. Documents (one to three a stage) stay a statement each: an
// UPDATE … FROM unnest measured dearer in PostgreSQL than the rows it
// saved (a join where the single-row update is one index probe).
func queueEffects(g guarded, dossierID string, eff Effects) error {
	if err := queueExtractions(g, eff.Extractions); err != nil {
		return err
	}
	if err := queueClassifications(g, eff.Classifications); err != nil {
		return err
	}
	if err := queueFindings(g, dossierID, eff.Findings); err != nil {
		return err
	}
	for _, sg := range eff.Suggestions {
		// Suggestions are never overwritten: an official may already have
		// decided on one. No conflict target: the id is derived from
		// (dossier, key), and a concurrent duplicate may hit either unique
		// index first — naming one would let the other raise 23505.
		g.queue(`INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, text_en, rationale, risk, status)
			SELECT $1, $2, $3, d.applicant_id, $4, $5, $6, $7, $8, 'pending_review' FROM dossiers d WHERE d.id = $2 AND {{new}}
			ON CONFLICT DO NOTHING`,
			SuggestionID(dossierID, sg.Key), dossierID, sg.Key, sg.Kind, vntext.Clean(sg.Text), vntext.Clean(sg.TextEN), vntext.Clean(sg.Rationale), or(sg.Risk, "normal"))
	}
	return nil
}

// distinct reports whether n keys, key(0)…key(n-1), are all different.
func distinct(n int, key func(int) string) bool {
	seen := make(map[string]struct{}, n)
	for i := range n {
		if _, ok := seen[key(i)]; ok {
			return false
		}
		seen[key(i)] = struct{}{}
	}
	return true
}

const (
	// A finding's key is unique per dossier: a replayed stage updates it
	// in place instead of adding a duplicate. Rows are inserted in the
	// stage's order, which is the order findings are read back (by id).
	// This is the row-by-row form, for findings that repeat a key;
	// completeRuns writes the others the same way.
	insertFindings = `INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, document_id, severity, citations, details)
		SELECT $1, u.key, u.kind, u.requirement, u.status, u.evidence, u.document_id, u.severity, u.citations::jsonb, u.details::jsonb
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
			WITH ORDINALITY AS u(key, kind, requirement, status, evidence, document_id, severity, citations, details, ord)
		WHERE {{new}}
		ORDER BY u.ord
		ON CONFLICT (dossier_id, key) DO UPDATE SET kind = EXCLUDED.kind, requirement = EXCLUDED.requirement,
			status = EXCLUDED.status, evidence = EXCLUDED.evidence, document_id = EXCLUDED.document_id,
			severity = EXCLUDED.severity, citations = EXCLUDED.citations, details = EXCLUDED.details`
)

func queueExtractions(g guarded, xs []Extraction) error {
	for _, x := range xs {
		texts, err := cleanJSON(nonNilS(x.PageTexts))
		if err != nil {
			return fmt.Errorf("save extraction of %s: %w", x.DocumentID, err)
		}
		sigs := []byte("[]")
		if len(x.Signatures) > 0 {
			if sigs, err = cleanJSON(x.Signatures); err != nil {
				return fmt.Errorf("save signatures of %s: %w", x.DocumentID, err)
			}
		}
		g.queue(`UPDATE documents SET extraction_status = $2, extraction_error = $3, extractor = $4,
				page_texts = $5, pages = $6, needs_review = needs_review OR $7, signatures = $8
			WHERE id = $1 AND {{new}}`, x.DocumentID, x.Status, vntext.Clean(x.Error), x.Extractor, texts, len(x.PageTexts), x.NeedsReview, sigs)
	}
	return nil
}

func queueClassifications(g guarded, cs []Classification) error {
	for _, c := range cs {
		det, err := cleanJSON(nonNil(c.Details))
		if err != nil {
			return fmt.Errorf("save classification of %s: %w", c.DocumentID, err)
		}
		fields, err := cleanJSON(nonNilF(c.Fields))
		if err != nil {
			return fmt.Errorf("save classification of %s: %w", c.DocumentID, err)
		}
		g.queue(`UPDATE documents SET doc_type = $2, confidence = $3, classification = $4, fields = $5,
				needs_review = needs_review OR $6
			WHERE id = $1 AND {{new}}`, c.DocumentID, c.Type, c.Confidence, det, fields, c.NeedsReview)
	}
	return nil
}

func queueFindings(g guarded, dossierID string, fs []dossier.Finding) error {
	n := len(fs)
	if n == 0 {
		return nil
	}
	keys, kinds, reqs, status, evidence, sev, cits, dets := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	docs := make([]*string, n)
	for i, f := range fs {
		// Most findings cite nothing and carry no details: their JSON
		// needs no encoder.
		cit, det := []byte("[]"), []byte("{}")
		var err error
		if len(f.Citations) > 0 {
			if cit, err = cleanJSON(f.Citations); err != nil {
				return fmt.Errorf("save finding %s: %w", f.Key, err)
			}
		}
		if len(f.Details) > 0 {
			if det, err = cleanJSON(f.Details); err != nil {
				return fmt.Errorf("save finding %s: %w", f.Key, err)
			}
		}
		if f.DocumentID != "" {
			docs[i] = &fs[i].DocumentID
		}
		keys[i], kinds[i], reqs[i], status[i], evidence[i], sev[i], cits[i], dets[i] = f.Key, f.Kind, vntext.Clean(f.Requirement), f.Status, vntext.Clean(f.Evidence), or(f.Severity, "info"), string(cit), string(det)
	}
	if distinct(n, func(i int) string { return keys[i] }) {
		*g.f = findingRows{keys: keys, kinds: kinds, reqs: reqs, status: status, evidence: evidence, sev: sev, cits: cits, dets: dets, docs: docs}
		return nil
	}
	for i := range n {
		g.queue(insertFindings, dossierID, keys[i:i+1], kinds[i:i+1], reqs[i:i+1], status[i:i+1], evidence[i:i+1], docs[i:i+1], sev[i:i+1], cits[i:i+1], dets[i:i+1])
	}
	return nil
}

// SuggestionID derives a suggestion's id from its dossier and key, so that
// the same suggestion always has the same id.
func SuggestionID(dossierID, key string) string {
	h := sha256.Sum256([]byte(key))
	return dossierID + "-s" + hex.EncodeToString(h[:])[:8]
}

// SetStageSince marks that dossier id was (re)published to its stage now,
// and counts a reconciler attempt when bump is set. It returns the attempt
// number to use in the de-duplication id.
func (s *Store) Touch(ctx context.Context, id string, bump bool) (attempt int, err error) {
	inc := 0
	if bump {
		inc = 1
	}
	err = s.Pool.QueryRow(ctx, `UPDATE dossiers SET attempts = attempts + $2, stage_since = now() WHERE id = $1 RETURNING attempts`, id, inc).Scan(&attempt)
	if err != nil {
		return 0, fmt.Errorf("touch dossier %s: %w", id, err)
	}
	return attempt, nil
}

// Attempt returns the dossier's current reconciler attempt.
func (s *Store) Attempt(ctx context.Context, id string) (int, error) {
	var a int
	err := s.Pool.QueryRow(ctx, `SELECT attempts FROM dossiers WHERE id = $1`, id).Scan(&a)
	return a, err
}

// Stuck is a dossier waiting in a stage longer than it should.
type Stuck struct {
	ID    string
	Stage string
	Since time.Time
}

// StuckDossiers lists dossiers waiting in a stage since before cutoff.
func (s *Store) StuckDossiers(ctx context.Context, cutoff time.Time, limit int) ([]Stuck, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, stage, stage_since FROM dossiers
		WHERE status IN ('received', 'processing') AND stage_since < $1 ORDER BY stage_since LIMIT $2`, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("list stuck dossiers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Stuck, error) {
		var x Stuck
		err := r.Scan(&x.ID, &x.Stage, &x.Since)
		return x, err
	})
}

// DeadLetter is a message that no retry could process.
type DeadLetter struct {
	Subject    string
	StreamSeq  uint64
	Consumer   string
	DossierID  string
	Stage      string
	Reason     string
	Payload    []byte
	Headers    map[string][]string
	Deliveries int
}

// RecordDeadLetter stores dl once per (consumer, stream sequence) and marks
// its dossier failed.
func (s *Store) RecordDeadLetter(ctx context.Context, dl DeadLetter) error {
	hdr, _ := json.Marshal(dl.Headers)
	if dl.Headers == nil {
		hdr = []byte("{}")
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var did any
		if dl.DossierID != "" {
			did = dl.DossierID
		}
		_, err := tx.Exec(ctx, `INSERT INTO dead_letters (subject, stream_seq, consumer, dossier_id, stage, reason, payload, headers, deliveries)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (consumer, stream_seq) DO NOTHING`,
			dl.Subject, int64(dl.StreamSeq), dl.Consumer, did, dl.Stage, dl.Reason, dl.Payload, hdr, dl.Deliveries)
		if err != nil {
			return fmt.Errorf("record dead letter: %w", err)
		}
		if dl.DossierID != "" {
			_, err = tx.Exec(ctx, `UPDATE dossiers SET status = 'failed', updated_at = now() WHERE id = $1`, dl.DossierID)
		}
		return err
	})
}

// IsUniqueViolation reports whether err is a unique-key violation.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

func or(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
func nonNilS(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
func nonNilF(s []dossier.Field) []dossier.Field {
	if s == nil {
		return []dossier.Field{}
	}
	return s
}

// Findings returns the findings of a dossier in a stable order.
func (s *Store) Findings(ctx context.Context, dossierID string) ([]dossier.Finding, error) {
	return QueryFindings(ctx, s.Pool, dossierID)
}

// Querier is a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// QueryFindings reads the findings of a dossier.
func QueryFindings(ctx context.Context, q Querier, dossierID string) ([]dossier.Finding, error) {
	rows, err := q.Query(ctx, `SELECT key, kind, requirement, status, evidence, coalesce(document_id, ''), severity, citations, details
		FROM findings WHERE dossier_id = $1 ORDER BY id`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read findings of %s: %w", dossierID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (dossier.Finding, error) {
		var f dossier.Finding
		var cit, det []byte
		if err := r.Scan(&f.Key, &f.Kind, &f.Requirement, &f.Status, &f.Evidence, &f.DocumentID, &f.Severity, &cit, &det); err != nil {
			return f, err
		}
		_ = json.Unmarshal(cit, &f.Citations)
		if f.Citations == nil {
			f.Citations = []dossier.Citation{}
		}
		_ = json.Unmarshal(det, &f.Details)
		if len(f.Details) == 0 {
			f.Details = nil
		}
		return f, nil
	})
}

// QuerySuggestions reads the suggestions of a dossier.
func QuerySuggestions(ctx context.Context, q Querier, dossierID string) ([]dossier.Suggestion, error) {
	rows, err := q.Query(ctx, `SELECT id, key, kind, text, text_en, rationale, risk, status, coalesce(decided_by, ''), decided_at, reason
		FROM suggestions WHERE dossier_id = $1 ORDER BY created_at, id`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read suggestions of %s: %w", dossierID, err)
	}
	return pgx.CollectRows(rows, scanSuggestion)
}

func scanSuggestion(r pgx.CollectableRow) (dossier.Suggestion, error) {
	var s dossier.Suggestion
	err := r.Scan(&s.ID, &s.Key, &s.Kind, &s.Text, &s.TextEN, &s.Rationale, &s.Risk, &s.Status, &s.DecidedBy, &s.DecidedAt, &s.Reason)
	return s, err
}

// Defer records that dossier id waits for a scheduled retry of its stage
// until d from now, so that the reconciler does not take the wait for a
// stall and publish the dossier again.
func (s *Store) Defer(ctx context.Context, id string, d time.Duration) error {
	_, err := s.Pool.Exec(ctx, `UPDATE dossiers SET stage_since = greatest(stage_since, now() + make_interval(secs => $2))
		WHERE id = $1 AND status IN ('received', 'processing')`, id, d.Seconds())
	if err != nil {
		return fmt.Errorf("defer dossier %s: %w", id, err)
	}
	return nil
}

// cleanJSON encodes v for a jsonb column with every string in it, keys
// included, passed through vntext.Clean: PostgreSQL refuses "\u0000" in
// jsonb, and text from documents and submitters may hold anything.
func cleanJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if cleanEncoded(b) {
		// Nothing to clean: decoding and encoding again (below) would give
		// the same value. Nearly every stage output takes this path.
		return b, nil
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep numbers exactly as they were
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	return json.Marshal(cleanValue(tree))
}

// cleanEncoded reports whether every string (key or value) in b, the output
// of json.Marshal, is already as vntext.Clean leaves it: no control
// character but newline and tab, written raw or escaped, and NFC. Invalid
// UTF-8 needs no check: json.Marshal has written it as U+FFFD, as Clean
// would. The test is on the whole encoding, so it may refuse a clean value
// (the slow path then decides), never accept one that is not clean.
func cleanEncoded(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == 0x7f:
			return false
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f: // U+0080–U+009F
			return false
		case c < 0x20 && c != '\n' && c != '\t':
			return false // json.Marshal escapes these; never raw
		case c == '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case 'n', 't', '"', '\\', '/':
				i++
			case 'u':
				if i+5 >= len(b) {
					return false
				}
				var r rune
				for _, h := range b[i+2 : i+6] {
					switch {
					case h >= '0' && h <= '9':
						r = r<<4 | rune(h-'0')
					case h >= 'a' && h <= 'f':
						r = r<<4 | rune(h-'a'+10)
					case h >= 'A' && h <= 'F':
						r = r<<4 | rune(h-'A'+10)
					default:
						return false
					}
				}
				if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || r >= 0xd800 && r <= 0xdfff {
					return false
				}
				i += 5
			default: // \r, \b, \f
				return false
			}
		}
	}
	return norm.NFC.IsNormal(b)
}

func cleanValue(v any) any {
	switch v := v.(type) {
	case string:
		return vntext.Clean(v)
	case []any:
		for i := range v {
			v[i] = cleanValue(v[i])
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[vntext.Clean(k)] = cleanValue(x)
		}
		return out
	}
	return v
}
