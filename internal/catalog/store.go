package catalog

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/agnivade/levenshtein"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// DefaultImportEffective is the effective date given to imported versions:
// the day the two-level local government (chính quyền địa phương 02 cấp)
// took effect, which the national data already reflects.
var DefaultImportEffective = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// Store keeps the catalog in PostgreSQL. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	// ImportEffective is the effective date of imported versions
	// (DefaultImportEffective when zero).
	ImportEffective time.Time
	// Refiner, when set, may refine low-confidence procedures after the rule
	// parse (the optional LLM pass). Nil leaves the rule result unchanged.
	Refiner Refiner

	docs docCache
}

// docCache keeps the decoded documents of versions read before, by row and
// row version (xmin, which any UPDATE changes), so that a repeated Get
// reads a few columns instead of the whole document and decodes nothing:
// every dossier reads its procedure at submission, classification and
// check. Each caller gets its own deep copy (clone), which it may change.
type docCache struct {
	mu sync.Mutex
	m  map[[2]int64]*Procedure
}

const docCacheSize = 1024

func (c *docCache) get(k [2]int64) (*Procedure, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *docCache) put(k [2]int64, b *Procedure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= docCacheSize {
		c.m = make(map[[2]int64]*Procedure, docCacheSize)
	}
	c.m[k] = b
}

// Refiner refines the requirements of a procedure whose rule parse is not
// confident, given the procedure's source record (one JSON line) (the optional LLM pass through the AI provider layer). It must
// return requirements with Method and Confidence set; Import records them as
// produced and never hides that they came from a model. Implementations are
// called outside any database transaction.
type Refiner interface {
	Refine(ctx context.Context, p Procedure, record []byte) ([]Requirement, error)
}

// NewStore returns a store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

func (s *Store) importEffective() time.Time {
	if s.ImportEffective.IsZero() {
		return DefaultImportEffective
	}
	return s.ImportEffective
}

// Get returns the version of the procedure in force at at: the newest
// version effective on or before at, an override beating an import at equal
// dates. A missing procedure is a dossier.CodeNotFound error.
func (s *Store) Get(ctx context.Context, code string, at time.Time) (*Procedure, error) {
	if at.IsZero() {
		at = time.Now()
	}
	code = strings.TrimSpace(code)
	var k [2]int64
	var version int
	var eff time.Time
	var source string
	const pick = `FROM procedure_versions
		WHERE code = $1 AND effective_from <= $2::date
		ORDER BY effective_from DESC, (source <> 'import') DESC, id DESC
		LIMIT 1`
	err := s.pool.QueryRow(ctx, `SELECT id, xmin::text::bigint, version, effective_from, source `+pick, code, at).
		Scan(&k[0], &k[1], &version, &eff, &source)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy thủ tục %q có hiệu lực ngày %s (procedure not found)", code, at.Format("02/01/2006"))
	}
	if err != nil {
		return nil, fmt.Errorf("get procedure %q: %w", code, err)
	}
	p, ok := s.docs.get(k)
	if ok {
		p = clone(p)
	} else {
		var doc []byte
		cache := true
		err := s.pool.QueryRow(ctx, `SELECT doc FROM procedure_versions WHERE id = $1 AND xmin::text::bigint = $2`, k[0], k[1]).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			// Changed between the two reads: read it whole.
			cache = false
			err = s.pool.QueryRow(ctx, `SELECT doc, version, effective_from, source `+pick, code, at).Scan(&doc, &version, &eff, &source)
		}
		if err != nil {
			return nil, fmt.Errorf("get procedure %q: %w", code, err)
		}
		p = new(Procedure)
		if err := json.Unmarshal(doc, p); err != nil {
			return nil, fmt.Errorf("decode procedure %q: %w", code, err)
		}
		if cache {
			s.docs.put(k, clone(p))
		}
	}
	p.Version, p.EffectiveFrom, p.Source = version, eff, source
	return p, nil
}

// Versions returns every version of a procedure, oldest first.
func (s *Store) Versions(ctx context.Context, code string) ([]Procedure, error) {
	rows, err := s.pool.Query(ctx, `SELECT doc, version, effective_from, source FROM procedure_versions WHERE code = $1 ORDER BY effective_from, id`, code)
	if err != nil {
		return nil, fmt.Errorf("list versions of %q: %w", code, err)
	}
	return scanProcedures(rows)
}

// ListFilter selects procedures for List. Empty fields do not filter.
type ListFilter struct {
	Field       string // lĩnh vực, exact or accent-insensitive substring
	Level       string // cấp thực hiện, e.g. "Cấp xã"
	Ministry    string
	NeedsReview *bool
	Limit       int // default 50, at most 1000
	Offset      int
}

// List returns the procedures in force now, ordered by code.
func (s *Store) List(ctx context.Context, f ListFilter) ([]Procedure, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Field != "" {
		add("search LIKE '%%' || $%d || '%%'", vntext.Fold(f.Field))
	}
	if f.Level != "" {
		add("lower(level) = lower($%d)", f.Level)
	}
	if f.Ministry != "" {
		add("ministry ILIKE '%%' || $%d || '%%'", f.Ministry)
	}
	if f.NeedsReview != nil {
		add("p.needs_review = $%d", *f.NeedsReview)
	}
	q := `SELECT v.doc, v.version, v.effective_from, v.source FROM procedures p JOIN procedure_versions v ON v.id = p.version_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit, max(f.Offset, 0))
	q += fmt.Sprintf(" ORDER BY p.code LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list procedures: %w", err)
	}
	return scanProcedures(rows)
}

// Search finds procedures in force now whose code, name or field contain
// every word, accent-insensitively ("dang ky khai sinh" finds "Đăng ký khai
// sinh"). Names that contain the whole phrase rank first.
func (s *Store) Search(ctx context.Context, words string, limit int) ([]Procedure, error) {
	if limit <= 0 {
		limit = 20
	}
	toks := vntext.FoldedTokens(words)
	if len(toks) == 0 {
		return []Procedure{}, nil
	}
	phrase := strings.Join(toks, " ")
	var where []string
	args := []any{phrase}
	for _, t := range toks {
		args = append(args, t)
		where = append(where, fmt.Sprintf("p.search LIKE '%%' || $%d || '%%'", len(args)))
	}
	args = append(args, min(limit, 200))
	q := fmt.Sprintf(`SELECT v.doc, v.version, v.effective_from, v.source FROM procedures p
		JOIN procedure_versions v ON v.id = p.version_id
		WHERE %s
		ORDER BY (p.search LIKE '%%' || $1 || '%%') DESC, length(p.name), p.code LIMIT $%d`,
		strings.Join(where, " AND "), len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search procedures: %w", err)
	}
	return scanProcedures(rows)
}

// Codes lists the code of every procedure in the catalog, once each, in
// order (`hoso regs cite` without --procedure).
func (s *Store) Codes(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT code FROM procedures ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// getImported returns the imported version in force at at, or nil.
func (s *Store) getImported(ctx context.Context, code string, at time.Time) (*Procedure, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT doc, version, effective_from, source FROM procedure_versions
		WHERE code = $1 AND source = 'import'
		ORDER BY (effective_from <= $2::date) DESC,
		         CASE WHEN effective_from <= $2::date THEN effective_from END DESC,
		         effective_from, id DESC
		LIMIT 1`, code, at)
	if err != nil {
		return nil, fmt.Errorf("get imported %s: %w", code, err)
	}
	ps, err := scanProcedures(rows)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

func scanProcedures(rows pgx.Rows) ([]Procedure, error) {
	defer rows.Close()
	out := []Procedure{}
	for rows.Next() {
		var doc []byte
		var p Procedure
		var version int
		var eff time.Time
		var source string
		if err := rows.Scan(&doc, &version, &eff, &source); err != nil {
			return nil, fmt.Errorf("scan procedure: %w", err)
		}
		if err := json.Unmarshal(doc, &p); err != nil {
			return nil, fmt.Errorf("decode procedure: %w", err)
		}
		p.Version, p.EffectiveFrom, p.Source = version, eff, source
		out = append(out, p)
	}
	return out, rows.Err()
}

// ImportReport summarises an import.
type ImportReport struct {
	Files        []string        `json:"files"`
	Total        int             `json:"total"`     // procedures read
	Inserted     int             `json:"inserted"`  // new versions
	Unchanged    int             `json:"unchanged"` // identical content already stored
	Requirements int             `json:"requirements"`
	NeedsReview  int             `json:"needs_review"`
	Refined      int             `json:"refined,omitempty"` // by the Refiner
	Empty        []string        `json:"empty"`             // codes with no component text
	Failures     []ImportFailure `json:"failures"`
	Duration     time.Duration   `json:"duration_ns"`
}

// ImportFailure is one procedure that could not be imported or parsed.
type ImportFailure struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Code   string `json:"code,omitempty"`
	Reason string `json:"reason"`
}

const importBatch = 500

// parsed is one record of an import after ParseNational, with its content
// hash and canonical document when it needs no refinement.
type parsed struct {
	file string
	line int
	rec  []byte
	p    Procedure
	err  error
	hash string
	doc  []byte
}

// Import reads a procedures.jsonl file, or every *.jsonl and *.json file of
// a directory, parses each procedure and stores a version effective on
// s.ImportEffective. Identical content is not stored twice. Lines that fail
// are listed in the report, never fatal. progress, when non-nil, receives a
// progress bar.
//
// Parsing is the cost (PostgreSQL takes a few hundred milliseconds of the
// national file's seconds), so records are parsed on every core while the
// previous batch is written; results are taken in file order, so the
// report and the version numbers do not depend on the scheduling.
func (s *Store) Import(ctx context.Context, src string, progress io.Writer) (ImportReport, error) {
	started := time.Now()
	rep := ImportReport{Empty: []string{}, Failures: []ImportFailure{}}
	files, size, err := importFiles(src)
	if err != nil {
		return rep, err
	}
	rep.Files = files
	var bar *progressbar.ProgressBar
	if progress != nil {
		bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("Nhập danh mục thủ tục (importing procedures)"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	eff := s.importEffective()
	g, gctx := errgroup.WithContext(ctx)

	// Reader → parsers: each record carries the channel its result comes
	// back on; order hands those channels to the collector in file order.
	workers := max(runtime.GOMAXPROCS(0), 1)
	type job struct {
		item *parsed
		done chan *parsed
	}
	jobs := make(chan job, 4*workers)
	order := make(chan chan *parsed, 8*workers)
	g.Go(func() error {
		defer close(jobs)
		defer close(order)
		for _, file := range files {
			err := eachRecord(file, func(line int, rec []byte) error {
				j := job{&parsed{file: file, line: line, rec: bytes.Clone(rec)}, make(chan *parsed, 1)}
				select {
				case order <- j.done:
				case <-gctx.Done():
					return gctx.Err()
				}
				select {
				case jobs <- j:
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			})
			if err != nil {
				return fmt.Errorf("import %s: %w", file, err)
			}
		}
		return nil
	})
	refine := s.Refiner != nil
	for range workers {
		g.Go(func() error {
			for j := range jobs {
				it := j.item
				it.p, it.err = ParseNational(it.rec)
				if it.err == nil && !(refine && it.p.NeedsReview) {
					if it.hash, it.doc, it.err = contentHash(it.p); it.err != nil {
						it.err = fmt.Errorf("encode %s: %w", it.p.Code, it.err)
					}
				}
				j.done <- it
			}
			return nil
		})
	}

	// Collector → writer: one batch is written while the next is parsed.
	batches := make(chan []parsed, 1)
	touched := map[string]bool{}
	g.Go(func() error {
		defer close(batches)
		var batch []parsed
		for done := range order {
			var it *parsed
			select {
			case it = <-done:
			case <-gctx.Done():
				return gctx.Err()
			}
			if bar != nil {
				_ = bar.Add(len(it.rec) + 1)
			}
			if it.err != nil {
				rep.Failures = append(rep.Failures, ImportFailure{File: it.file, Line: it.line, Code: it.p.Code, Reason: it.err.Error()})
				continue
			}
			p := it.p
			rep.Total++
			if len(p.Requirements) == 0 {
				rep.Empty = append(rep.Empty, p.Code)
			} else if p.NeedsReview && refine {
				if reqs, err := s.Refiner.Refine(gctx, p, it.rec); err == nil && len(reqs) > 0 {
					p.Requirements = reqs
					assignKeys(p.Requirements)
					rep.Refined++
				} else if err != nil {
					p.ReviewReasons = append(p.ReviewReasons, "tinh chỉnh bằng mô hình thất bại (refiner failed): "+err.Error())
				}
			}
			if it.hash == "" {
				h, doc, err := contentHash(p)
				if err != nil {
					return fmt.Errorf("encode %s: %w", p.Code, err)
				}
				it.hash, it.doc = h, doc
			}
			rep.Requirements += len(p.Requirements)
			if p.NeedsReview {
				rep.NeedsReview++
			}
			touched[p.Code] = true
			batch = append(batch, parsed{p: p, hash: it.hash, doc: it.doc})
			if len(batch) >= importBatch {
				select {
				case batches <- batch:
				case <-gctx.Done():
					return gctx.Err()
				}
				batch = nil
			}
		}
		if len(batch) > 0 {
			select {
			case batches <- batch:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	inserted, written := 0, 0
	g.Go(func() error {
		for b := range batches {
			n, err := s.insertParsed(gctx, b, SourceImport, eff, src)
			if err != nil {
				return err
			}
			inserted += n
			written += len(b)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return rep, err
	}
	rep.Inserted, rep.Unchanged = inserted, written-inserted
	if err := s.refreshCurrent(ctx, keys(touched)); err != nil {
		return rep, err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	rep.Duration = time.Since(started)
	if b, err := json.Marshal(rep); err == nil {
		_, _ = s.pool.Exec(ctx, `INSERT INTO catalog_imports (src, started_at, report) VALUES ($1, $2, $3)`, src, started, b)
	}
	return rep, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func importFiles(src string) ([]string, int64, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, 0, dossier.Errorf(dossier.CodeInvalid, "không đọc được nguồn %q (cannot read import source): %v", src, err)
	}
	if !st.IsDir() {
		return []string{src}, st.Size(), nil
	}
	var files []string
	var size int64
	err = filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if ext := filepath.Ext(path); ext == ".jsonl" || ext == ".json" {
			files = append(files, path)
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("walk %s: %w", src, err)
	}
	if len(files) == 0 {
		return nil, 0, dossier.Errorf(dossier.CodeInvalid, "thư mục %q không có tệp .jsonl/.json (no procedure files)", src)
	}
	return files, size, nil
}

// eachRecord calls f for each JSON line of a .jsonl file, or once with the
// whole content of a .json file (one procedure per file, as upstream).
func eachRecord(file string, f func(line int, rec []byte) error) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	if filepath.Ext(file) == ".json" {
		b, err := io.ReadAll(fh)
		if err != nil {
			return err
		}
		return f(1, b)
	}
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := f(line, b); err != nil {
			return err
		}
	}
	return sc.Err()
}

// contentHash hashes the parts of a procedure that make a version: not its
// version number, date or source.
func contentHash(p Procedure) (string, []byte, error) {
	p.Version, p.EffectiveFrom, p.Source = 0, time.Time{}, ""
	b, err := json.Marshal(p)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), b, nil
}

// insertVersions stores versions in one transaction and returns how many
// were new.
func (s *Store) insertVersions(ctx context.Context, ps []Procedure, source string, eff time.Time, origin string) (int, error) {
	items := make([]parsed, len(ps))
	for i, p := range ps {
		h, doc, err := contentHash(p)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", p.Code, err)
		}
		items[i] = parsed{p: p, hash: h, doc: doc}
	}
	return s.insertParsed(ctx, items, source, eff, origin)
}

// insertParsed stores hashed versions in one transaction of two statements
// sent in one round trip, and returns how many were new. Version numbers
// are assigned under per-code advisory locks, taken in code order so that
// concurrent imports cannot deadlock, and count on from the code's newest
// version in the order of items; content already stored (same code, source,
// date and hash), in the table or earlier in items, is skipped.
func (s *Store) insertParsed(ctx context.Context, items []parsed, source string, eff time.Time, origin string) (int, error) {
	codes := make([]string, len(items))
	hashes := make([]string, len(items))
	docs := make([]string, len(items))
	review := make([]bool, len(items))
	for i, it := range items {
		codes[i], hashes[i], docs[i], review[i] = it.p.Code, it.hash, string(it.doc), it.p.NeedsReview
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	b := &pgx.Batch{}
	b.Queue(`SELECT count(pg_advisory_xact_lock(hashtext('catalog:' || c)))
		FROM (SELECT DISTINCT c FROM unnest($1::text[]) c ORDER BY c) l`, codes)
	b.Queue(`
		INSERT INTO procedure_versions (code, version, source, effective_from, content_hash, doc, needs_review, origin)
		SELECT n.code,
		       COALESCE((SELECT MAX(v.version) FROM procedure_versions v WHERE v.code = n.code), 0)
		         + row_number() OVER (PARTITION BY n.code ORDER BY n.ord),
		       $2, $3::date, n.hash, n.doc::jsonb, n.review, $4
		FROM (
			SELECT DISTINCT ON (u.code, u.hash) u.code, u.hash, u.doc, u.review, u.ord
			FROM unnest($1::text[], $5::text[], $6::text[], $7::bool[]) WITH ORDINALITY AS u(code, hash, doc, review, ord)
			WHERE NOT EXISTS (SELECT 1 FROM procedure_versions v
			                  WHERE v.code = u.code AND v.source = $2 AND v.effective_from = $3::date AND v.content_hash = u.hash)
			ORDER BY u.code, u.hash, u.ord
		) n
		ORDER BY n.ord
		ON CONFLICT (code, source, effective_from, content_hash) DO NOTHING`,
		codes, source, eff, origin, hashes, docs, review)
	br := tx.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return 0, fmt.Errorf("lock versions: %w", err)
	}
	tag, err := br.Exec()
	if err != nil {
		br.Close()
		return 0, fmt.Errorf("insert versions: %w", err)
	}
	if err := br.Close(); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("commit versions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// refreshCurrent recomputes the version in force now for codes.
func (s *Store) refreshCurrent(ctx context.Context, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO procedures (code, version_id, name, field, level, ministry, needs_review, requirements, search, updated_at)
		SELECT DISTINCT ON (v.code) v.code, v.id, v.doc->>'name', COALESCE(v.doc->>'field', ''), COALESCE(v.doc->>'level', ''),
		       COALESCE(v.doc->>'ministry', ''), v.needs_review, COALESCE(jsonb_array_length(v.doc->'requirements'), 0), '', now()
		FROM procedure_versions v
		WHERE v.code = ANY($1) AND v.effective_from <= now()::date
		ORDER BY v.code, v.effective_from DESC, (v.source <> 'import') DESC, v.id DESC
		ON CONFLICT (code) DO UPDATE SET version_id = EXCLUDED.version_id, name = EXCLUDED.name, field = EXCLUDED.field,
		       level = EXCLUDED.level, ministry = EXCLUDED.ministry, needs_review = EXCLUDED.needs_review,
		       requirements = EXCLUDED.requirements, updated_at = now()`, codes)
	if err != nil {
		return fmt.Errorf("refresh current procedures: %w", err)
	}
	// The folded search text is computed in Go (vntext.Fold) so that the
	// query side folds exactly the same way.
	rows, err := s.pool.Query(ctx, `SELECT code, name, field FROM procedures WHERE code = ANY($1)`, codes)
	if err != nil {
		return fmt.Errorf("read current procedures: %w", err)
	}
	type row struct{ code, search string }
	var rs []row
	for rows.Next() {
		var c, n, f string
		if err := rows.Scan(&c, &n, &f); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, row{c, vntext.Fold(c + " " + n + " " + f)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cs, ss := make([]string, len(rs)), make([]string, len(rs))
	for i, r := range rs {
		cs[i], ss[i] = r.code, r.search
	}
	if _, err := s.pool.Exec(ctx, `UPDATE procedures p SET search = u.search
		FROM unnest($1::text[], $2::text[]) AS u(code, search) WHERE p.code = u.code`, cs, ss); err != nil {
		return fmt.Errorf("update search text: %w", err)
	}
	return nil
}

// Closest returns up to n procedures in force now that come closest to
// query, for a submitter whose code names none: first the codes within two
// edits of it (1.001139 → 1.001193), then, when query holds words, the
// procedures whose names contain them ("khai sinh").
func (s *Store) Closest(ctx context.Context, query string, n int) ([]Procedure, error) {
	if n <= 0 {
		n = 5
	}
	query = strings.TrimSpace(query)
	rows, err := s.pool.Query(ctx, `SELECT code FROM procedures`)
	if err != nil {
		return nil, fmt.Errorf("closest procedures: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("closest procedures: %w", err)
	}
	type near struct {
		code string
		d    int
	}
	var byCode []near
	if len(query) <= 32 {
		for _, c := range codes {
			d := levenshtein.ComputeDistance(query, c)
			if d == 2 && anagram(query, c) {
				d = 1 // two digits swapped, the commonest slip
			}
			if d <= 2 {
				byCode = append(byCode, near{c, d})
			}
		}
	}
	slices.SortFunc(byCode, func(a, b near) int { return cmp.Or(a.d-b.d, strings.Compare(a.code, b.code)) })
	out := []Procedure{}
	seen := map[string]bool{}
	for _, c := range byCode[:min(len(byCode), n)] {
		p, err := s.Get(ctx, c.code, time.Time{})
		if err != nil {
			continue
		}
		seen[p.Code] = true
		out = append(out, *p)
	}
	if len(out) < n && strings.ContainsFunc(query, unicode.IsLetter) {
		named, err := s.Search(ctx, query, n)
		if err != nil {
			return nil, err
		}
		for _, p := range named {
			if len(out) < n && !seen[p.Code] {
				seen[p.Code] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func anagram(a, b string) bool {
	x, y := []byte(a), []byte(b)
	slices.Sort(x)
	slices.Sort(y)
	return string(x) == string(y)
}
