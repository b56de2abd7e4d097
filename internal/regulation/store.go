// Package regulation provides hoso's regulation index: Vietnamese legal
// texts split into document → chương/mục → Điều → khoản → điểm, stored in
// PostgreSQL with a lexical (NFC and accent-folded) and a vector (pgvector
// HNSW) representation, searched by both and fused with reciprocal rank
// fusion, and the citations that tie each requirement of a procedure to the
// articles that govern it.
package regulation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
	"github.com/schollz/progressbar/v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Embedder turns texts into vectors. Implementations must return one
// vector of Dimension() floats per text, in order; Name() identifies the
// model (and its version) and is stored with every vector, so vectors of
// different models are never compared. Embed must respect ctx and be safe
// for concurrent use.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Dimension() int
	Name() string
}

// Store is the regulation index in PostgreSQL. It is safe for concurrent
// use.
type Store struct {
	pool *pgxpool.Pool
	emb  Embedder
	// RRFK is the reciprocal-rank-fusion constant k in 1/(k + rank). 60 is
	// the value of Cormack et al. (2009), used unchanged: it was not tuned
	// on hoso's evaluation questions.
	RRFK float64
	// VectorWeight scales the vector ranking's share of the fusion; when
	// zero, hashingVectorWeight for the local hashing embedder (which
	// carries no meaning) and 1 for any other.
	VectorWeight float64
	// Depth is how many candidates each retriever contributes to fusion.
	Depth int
	// Now is the clock for the default query date (time.Now when nil).
	Now func() time.Time
	// Thesaurus bridges citizens' words to the law's (the embedded
	// thesaurus.yaml when nil).
	Thesaurus *Thesaurus
	// EfSearch is hnsw.ef_search for vector queries.
	EfSearch int

	lex *lexCache // shared by WithEmbedder copies: same texts
}

// NewStore returns a store that embeds with emb.
func NewStore(pool *pgxpool.Pool, emb Embedder) *Store {
	return &Store{pool: pool, emb: emb, RRFK: 60, Depth: 50, EfSearch: hnswEfSearch, lex: &lexCache{}}
}

// Embedder returns the store's embedder.
func (s *Store) Embedder() Embedder { return s.emb }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) thesaurus() *Thesaurus {
	if s.Thesaurus != nil {
		return s.Thesaurus
	}
	return DefaultThesaurus()
}

// ImportReport summarises an import.
type ImportReport struct {
	Files     int           `json:"files"`
	Documents int           `json:"documents"` // newly imported
	Skipped   int           `json:"skipped"`   // already present (same file content and number)
	Articles  int           `json:"articles"`
	Chunks    int           `json:"chunks"`
	Embedded  int           `json:"embedded"`
	Imported  []DocReport   `json:"imported"`
	Failed    []ImportError `json:"failed,omitempty"`
}

// DocReport is one imported document.
type DocReport struct {
	Number   string `json:"number"`
	Title    string `json:"title"`
	Path     string `json:"path"`
	Kind     string `json:"source_kind"`
	Articles int    `json:"articles"`
}

// ImportError is a file that could not be imported.
type ImportError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Import splits and stores the legal texts at paths (files or directories,
// walked recursively for .txt and .md files), then embeds every chunk that
// has no vector for the store's embedder. Metadata comes from a
// `metadata/` directory (source_registry.csv, law_status.json) found beside
// a file or one level up. Importing the same file twice is a no-op. A file
// that holds no article is reported in Failed, not returned as an error;
// the error is for failures of the database or the embedder.
func (s *Store) Import(ctx context.Context, paths []string, progress io.Writer) (ImportReport, error) {
	var rep ImportReport
	files, err := expand(paths)
	if err != nil {
		return rep, err
	}
	rep.Files = len(files)
	bar := newBar(progress, len(files), "nhập văn bản / importing")
	regs := map[string]Registry{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		reg, err := registryFor(f, regs)
		if err != nil {
			return rep, fmt.Errorf("read metadata for %q: %w", f, err)
		}
		docs, err := ParseFile(f, reg)
		if err != nil {
			return rep, fmt.Errorf("read %q: %w", f, err)
		}
		if len(docs) == 0 {
			rep.Failed = append(rep.Failed, ImportError{Path: f, Error: "không tìm thấy điều nào / no article found"})
			_ = bar.Add(1)
			continue
		}
		b, _ := os.ReadFile(f)
		sum := sha256.Sum256(b)
		for _, d := range docs {
			added, chunks, err := s.insertDocument(ctx, d, hex.EncodeToString(sum[:]))
			if err != nil {
				return rep, fmt.Errorf("store %q (%s): %w", f, d.Number, err)
			}
			if !added {
				rep.Skipped++
				continue
			}
			rep.Documents++
			rep.Articles += len(d.Articles)
			rep.Chunks += chunks
			rep.Imported = append(rep.Imported, DocReport{Number: d.Number, Title: d.Title, Path: f, Kind: d.SourceKind, Articles: len(d.Articles)})
		}
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	if rep.Documents > 0 {
		if err := s.refreshTerms(ctx); err != nil {
			return rep, err
		}
	}
	if _, err := s.LinkReplacements(ctx); err != nil {
		return rep, fmt.Errorf("link replaced documents: %w", err)
	}
	if _, err := s.LinkRepeals(ctx); err != nil {
		return rep, fmt.Errorf("link repealed articles: %w", err)
	}
	n, err := s.Reembed(ctx, progress)
	rep.Embedded = n
	return rep, err
}

func newBar(w io.Writer, n int, desc string) *progressbar.ProgressBar {
	if w == nil {
		w = io.Discard
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
}

func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, dossier.Errorf(dossier.CodeNotFound, "không đọc được %q / cannot read %q: %v", p, p, err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "metadata" {
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(path))
			name := strings.ToLower(d.Name())
			if (ext == ".txt" || ext == ".md") && !strings.HasPrefix(name, "readme") && !strings.Contains(name, "readme.") {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

func registryFor(file string, cache map[string]Registry) (Registry, error) {
	dir := filepath.Dir(file)
	if r, ok := cache[dir]; ok {
		return r, nil
	}
	r := Registry{}
	for _, m := range []string{filepath.Join(dir, "metadata"), filepath.Join(dir, "..", "metadata")} {
		if st, err := os.Stat(m); err == nil && st.IsDir() {
			var err error
			if r, err = LoadRegistry(m); err != nil {
				return nil, err
			}
			break
		}
	}
	cache[dir] = r
	return r, nil
}

type chunkRow struct {
	article       Article
	clause        *int
	points        []Point
	text, indexed string
}

// chunksOf returns one chunk per clause (with its points), one for an
// article's intro when it says more than a lead-in, and one per article
// without clauses. The indexed text carries the article heading, so
// "Thủ tục đăng ký khai sinh" matches every clause of that article.
func chunksOf(a Article) []chunkRow {
	heading := "Điều " + a.Label + ". " + a.Title
	var out []chunkRow
	if len(a.Clauses) == 0 {
		t := a.Intro
		if t == "" {
			t = a.Title
		}
		return []chunkRow{{article: a, text: t, indexed: heading + "\n" + t}}
	}
	lead := a.Intro
	if len([]rune(lead)) > 300 {
		lead = string([]rune(lead)[:300])
	}
	if len([]rune(a.Intro)) > 80 {
		out = append(out, chunkRow{article: a, text: a.Intro, indexed: heading + "\n" + a.Intro})
	}
	for _, c := range a.Clauses {
		n := c.Number
		out = append(out, chunkRow{article: a, clause: &n, points: c.Points, text: c.Text, indexed: heading + "\n" + lead + "\n" + c.Text})
	}
	return out
}

func lexNFC(s string) string  { return strings.Join(vntext.Tokens(s), " ") }
func lexFold(s string) string { return strings.Join(vntext.FoldedTokens(s), " ") }

func (s *Store) insertDocument(ctx context.Context, d Document, sum string) (bool, int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, 0, err
	}
	defer tx.Rollback(ctx)
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO regulation_documents (number, title, doc_type, issuer, issued_on, effective_from, effective_to,
			status, replaced_by, consolidation, source_kind, source_path, source_sha256, url, articles)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
		ON CONFLICT (source_sha256, number) DO NOTHING
		RETURNING id`,
		d.Number, d.Title, d.Type, d.Issuer, d.IssuedOn, d.EffectiveFrom, d.EffectiveTo, d.Status, d.ReplacedBy,
		d.Consolidation, d.SourceKind, d.SourcePath, sum, d.URL, len(d.Articles)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	var rows [][]any
	for _, a := range d.Articles {
		for _, c := range chunksOf(a) {
			pts, _ := json.Marshal(nonNilPoints(c.points))
			idx := a.Chapter + "\n" + c.indexed
			rows = append(rows, []any{id, d.Number, a.Chapter, a.Section, a.Number, a.Label, a.Title, c.clause, string(pts),
				c.text, lexNFC(idx), lexFold(idx)})
		}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"regulation_chunks"},
		[]string{"document_id", "number", "chapter", "section", "article", "article_label", "article_title", "clause", "points", "text", "lex_nfc", "lex_fold"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return false, 0, err
	}
	return true, len(rows), tx.Commit(ctx)
}

func nonNilPoints(p []Point) []Point {
	if p == nil {
		return []Point{}
	}
	return p
}

// refreshTerms recomputes the document frequencies of syllables and
// syllable bigrams over all chunks. Terms seen in one chunk only are not
// stored: the ranker treats an unknown term as df = 1.
func (s *Store) refreshTerms(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT lex_nfc, lex_fold FROM regulation_chunks`)
	if err != nil {
		return err
	}
	df := [2]map[string]int{{}, {}}
	n := 0
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return err
		}
		n++
		for i, t := range []string{a, b} {
			seen := map[string]bool{}
			for _, term := range terms(strings.Fields(t)) {
				if !seen[term] {
					seen[term] = true
					df[i][term]++
				}
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM regulation_terms`); err != nil {
		return err
	}
	out := [][]any{{false, "", n}}
	for i, m := range df {
		for t, c := range m {
			if c >= 2 {
				out = append(out, []any{i == 1, t, c})
			}
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"regulation_terms"}, []string{"folded", "term", "df"}, pgx.CopyFromRows(out)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// terms returns the unigrams and bigrams ("khai sinh") of a token list.
func terms(toks []string) []string {
	out := make([]string, 0, 2*len(toks))
	out = append(out, toks...)
	for i := 0; i+1 < len(toks); i++ {
		out = append(out, toks[i]+" "+toks[i+1])
	}
	return out
}

// Reembed embeds every chunk that has no vector for the store's embedder
// (all of them after switching embedder), showing progress, and creates the
// embedder's HNSW index when missing. Vectors of other models are kept, so
// switching back costs nothing. It returns the number of chunks embedded.
func (s *Store) Reembed(ctx context.Context, progress io.Writer) (int, error) {
	n, err := s.embedMissing(ctx, progress)
	if err != nil {
		return n, err
	}
	return n, s.ensureIndex(ctx)
}

// embedMissing stores the vectors of the chunks that have none for the
// embedder's model.
func (s *Store) embedMissing(ctx context.Context, progress io.Writer) (int, error) {
	model, dim := s.emb.Name(), s.emb.Dimension()
	if dim <= 0 || dim > 16000 {
		return 0, dossier.Errorf(dossier.CodeInvalid, "embedder %s has dimension %d", model, dim)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `
		SELECT count(*) FROM regulation_chunks c
		WHERE NOT EXISTS (SELECT 1 FROM regulation_embeddings e WHERE e.model = $1 AND e.chunk_id = c.id)`, model).Scan(&total); err != nil {
		return 0, err
	}
	if total > 0 {
		bar := newBar(progress, total, "tạo vector / embedding ("+model+")")
		done := 0
		const batch = 256
		var lastID int64
		for {
			rows, err := s.pool.Query(ctx, `
				SELECT c.id, c.document_id, c.chapter, c.article_label, c.article_title, c.text FROM regulation_chunks c
				WHERE c.id > $2 AND NOT EXISTS (SELECT 1 FROM regulation_embeddings e WHERE e.model = $1 AND e.chunk_id = c.id)
				ORDER BY c.id LIMIT $3`, model, lastID, batch)
			if err != nil {
				return done, err
			}
			var ids, docs []int64
			var texts []string
			for rows.Next() {
				var id, doc int64
				var ch, label, title, text string
				if err := rows.Scan(&id, &doc, &ch, &label, &title, &text); err != nil {
					rows.Close()
					return done, err
				}
				ids, docs = append(ids, id), append(docs, doc)
				texts = append(texts, embedText(label, title, text))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return done, err
			}
			if len(ids) == 0 {
				break
			}
			lastID = ids[len(ids)-1]
			vecs, err := s.emb.Embed(ctx, texts)
			if err != nil {
				return done, fmt.Errorf("embed with %s: %w", model, err)
			}
			if len(vecs) != len(ids) {
				return done, fmt.Errorf("embed with %s: %d vectors for %d texts", model, len(vecs), len(ids))
			}
			out := make([][]any, len(ids))
			for i := range ids {
				if len(vecs[i]) != dim {
					return done, fmt.Errorf("embed with %s: vector of %d dimensions, want %d", model, len(vecs[i]), dim)
				}
				out[i] = []any{model, dim, ids[i], docs[i], pgvector.NewVector(vecs[i])}
			}
			if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"regulation_embeddings"}, []string{"model", "dim", "chunk_id", "document_id", "embedding"}, pgx.CopyFromRows(out)); err != nil {
				return done, err
			}
			done += len(ids)
			_ = bar.Add(len(ids))
		}
		_ = bar.Finish()
		total = done
	}
	return total, nil
}

// embedText is what the embedder sees for a chunk: the article heading and
// the unit's text.
func embedText(label, title, text string) string {
	return "Điều " + label + ". " + title + "\n" + text
}

// The HNSW graph's parameters, and the default ef_search (Store.EfSearch).
// Hashed n-gram vectors of short questions against long chunks are a hard
// case for HNSW (distances bunch up): with pgvector's defaults (m 16,
// ef_construction 64) and ef_search 100, recall@10 against the exact scan
// was 0.89 at 20k chunks of the benchmark corpus. With m 32 and
// ef_construction 200 it was 0.94 at ef_search 100 and 1.00 at 400
// (BenchmarkSearch20k); at 100k chunks 0.88 at 100, 0.92 at 200, 0.96 at
// 400 and 0.99 at 800 (BenchmarkSearch100k), hence 800.
// 00027_regulation_hnsw_m32.sql rebuilds the default model's index with
// these parameters.
const (
	hnswM              = 32
	hnswEfConstruction = 200
	hnswEfSearch       = 800
)

// ensureIndex creates the partial HNSW index for the embedder's (model,
// dimension) when no index covers it yet (see 00003_regulation.sql).
func (s *Store) ensureIndex(ctx context.Context) error {
	model, dim := s.emb.Name(), s.emb.Dimension()
	lit := "'" + strings.ReplaceAll(model, "'", "''") + "'"
	var exists bool
	// The indexes of this schema's table are picked first (a materialised
	// CTE) and only theirs are printed: pg_indexes may print any schema's
	// index before filtering, and one dropped meanwhile by another process
	// (another schema's migration or test) fails the whole query with
	// "could not open relation with OID".
	if err := s.pool.QueryRow(ctx, `
		WITH mine AS MATERIALIZED (
			SELECT i.indexrelid FROM pg_index i
			JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE n.nspname = current_schema() AND t.relname = 'regulation_embeddings')
		SELECT EXISTS (SELECT 1 FROM mine WHERE pg_get_indexdef(indexrelid) LIKE $1 AND pg_get_indexdef(indexrelid) LIKE $2)`,
		fmt.Sprintf("%%vector(%d))%%", dim), "%"+lit+"%").Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	h := sha256.Sum256([]byte(model))
	name := fmt.Sprintf("regulation_embeddings_hnsw_%x_%d", h[:4], dim)
	// pgvector builds the graph many times faster while it fits in
	// maintenance_work_mem (64 MB by default: about 30k vectors of 384
	// dimensions at m 32); past that it inserts on disk, which took more
	// than 25 minutes at 100k chunks on a busy 2-core machine.
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL maintenance_work_mem = '%s'`, hnswBuildMemory)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON regulation_embeddings
		USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WITH (m = %d, ef_construction = %d) WHERE model = %s`, name, dim, hnswM, hnswEfConstruction, lit)); err != nil {
		return fmt.Errorf("create hnsw index for %s: %w", model, err)
	}
	return tx.Commit(ctx)
}

// hnswBuildMemory is maintenance_work_mem for building an HNSW index:
// enough for the graph of 100k–200k vectors of 384 dimensions.
const hnswBuildMemory = "1GB"

// Stats describes the index.
type Stats struct {
	Documents int            `json:"documents"`
	Chunks    int            `json:"chunks"`
	Models    map[string]int `json:"embeddings"` // model → vectors
}

// Stats counts documents, chunks and vectors per model.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Models: map[string]int{}}
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM regulation_documents), (SELECT count(*) FROM regulation_chunks)`).Scan(&st.Documents, &st.Chunks); err != nil {
		return st, err
	}
	rows, err := s.pool.Query(ctx, `SELECT model, count(*) FROM regulation_embeddings GROUP BY model`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return st, err
		}
		st.Models[m] = n
	}
	return st, rows.Err()
}

// idf is BM25's inverse document frequency.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// EmbedTexts returns what the embedder sees for every chunk, in id order
// (the training texts of a corpus-trained embedder).
func (s *Store) EmbedTexts(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT article_label, article_title, text FROM regulation_chunks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var label, title, text string
		if err := rows.Scan(&label, &title, &text); err != nil {
			return nil, err
		}
		out = append(out, embedText(label, title, text))
	}
	return out, rows.Err()
}

// TrainPPMI trains the corpus's PPMI-SVD embedder on the chunks in the
// index and stores it (regulation_models); training the same texts again
// yields the same name and stores nothing new.
func (s *Store) TrainPPMI(ctx context.Context, o embedding.PPMIOptions) (*embedding.PPMI, error) {
	texts, err := s.EmbedTexts(ctx)
	if err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, dossier.Errorf(dossier.CodeInvalid, "chưa có văn bản nào trong chỉ mục / the regulation index is empty: import first")
	}
	p, err := embedding.TrainPPMI(ctx, texts, o)
	if err != nil {
		return nil, err
	}
	b, err := p.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO regulation_models (name, family, model, chunks) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO NOTHING`, p.Name(), embedding.PPMIName, b, len(texts)); err != nil {
		return nil, fmt.Errorf("store %s: %w", p.Name(), err)
	}
	return p, nil
}

// LatestPPMI loads the most recently trained PPMI-SVD embedder; ok false
// when none was trained.
func (s *Store) LatestPPMI(ctx context.Context) (*embedding.PPMI, bool, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT model FROM regulation_models WHERE family = $1 ORDER BY created_at DESC, name LIMIT 1`, embedding.PPMIName).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	p, err := embedding.LoadPPMI(b)
	if err != nil {
		return nil, false, err
	}
	return p, true, nil
}

// CiteProcedure computes and stores the citations of every requirement of
// p: the best clauses within the documents of p's legal basis that are in
// the index, then the best across the whole corpus, each with its hybrid
// score and a quote verified to occur in the cited unit. It replaces the
// citations stored for the same (code, version, effective date), so it is
// idempotent. A procedure whose legal basis is not indexed gets corpus
// citations only.
func (s *Store) CiteProcedure(ctx context.Context, p *catalog.Procedure) error {
	if p == nil || p.Code == "" {
		return dossier.Errorf(dossier.CodeInvalid, "thủ tục không có mã / procedure without code")
	}
	keys, results, err := s.citeAll(ctx, p)
	if err != nil {
		return err
	}
	type row struct {
		key string
		c   dossier.Citation
	}
	var rows []row
	for i := range keys {
		for _, c := range results[i] {
			rows = append(rows, row{keys[i], c})
		}
	}
	eff := p.EffectiveFrom
	if eff.IsZero() {
		eff = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM regulation_citations WHERE procedure_code = $1 AND procedure_version = $2 AND effective_from = $3`,
		p.Code, p.Version, eff); err != nil {
		return err
	}
	var copyRows [][]any
	rank := map[string]int{}
	for _, r := range rows {
		rank[r.key]++
		copyRows = append(copyRows, []any{p.Code, p.Version, eff, r.key, rank[r.key], r.c.Document, r.c.Title, r.c.Article,
			r.c.Clause, r.c.Point, r.c.Text, r.c.Score, r.c.Source, s.emb.Name()})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"regulation_citations"},
		[]string{"procedure_code", "procedure_version", "effective_from", "requirement_key", "rank", "document", "title", "article",
			"clause", "point", "quote", "score", "source", "model"}, pgx.CopyFromRows(copyRows)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// indexedBasis maps a legal basis onto the numbers present in the index,
// tolerating scraped numbers with glued prefixes ("202068/2020/QH14" ends
// with "68/2020/QH14").
func (s *Store) indexedBasis(ctx context.Context, basis []catalog.LegalDoc) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT number FROM regulation_documents`)
	if err != nil {
		return nil, err
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, b := range basis {
		cands := []string{legalnum.Normalize(b.Number), legalnum.Normalize(b.Title)}
		for _, c := range cands {
			if c == "" {
				continue
			}
			// A number glued to the text before it ("2068/2020/QH14") ends
			// with the indexed one; a number indexed as it stands
			// ("123/2015/NĐ-CP") does not also name its suffixes
			// ("23/2015/NĐ-CP", another decree).
			exact := slices.Contains(have, c)
			for _, h := range have {
				if c == h || !exact && strings.HasSuffix(c, h) && strings.IndexByte(h, '/') > 0 {
					if !seen[h] {
						seen[h] = true
						out = append(out, h)
					}
				}
			}
		}
	}
	return out, nil
}

// Citations returns the stored citations of one requirement of the newest
// cited version of a procedure, best first (empty when none were computed).
func (s *Store) Citations(ctx context.Context, procedureCode, requirementKey string) ([]dossier.Citation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT document, title, article, clause, point, quote, score, source FROM regulation_citations
		WHERE procedure_code = $1 AND requirement_key = $2 AND (effective_from, procedure_version) = (
			SELECT effective_from, procedure_version FROM regulation_citations WHERE procedure_code = $1
			ORDER BY effective_from DESC, procedure_version DESC LIMIT 1)
		ORDER BY rank`, procedureCode, requirementKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []dossier.Citation{}
	for rows.Next() {
		var c dossier.Citation
		if err := rows.Scan(&c.Document, &c.Title, &c.Article, &c.Clause, &c.Point, &c.Text, &c.Score, &c.Source); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CitationsOf returns what Citations returns for every requirement of the
// newest cited version of a procedure, by requirement key, in one query: a
// check stage asked once a requirement (#18).
func (s *Store) CitationsOf(ctx context.Context, procedureCode string) (map[string][]dossier.Citation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT requirement_key, document, title, article, clause, point, quote, score, source FROM regulation_citations
		WHERE procedure_code = $1 AND (effective_from, procedure_version) = (
			SELECT effective_from, procedure_version FROM regulation_citations WHERE procedure_code = $1
			ORDER BY effective_from DESC, procedure_version DESC LIMIT 1)
		ORDER BY requirement_key, rank`, procedureCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]dossier.Citation{}
	for rows.Next() {
		var key string
		var c dossier.Citation
		if err := rows.Scan(&key, &c.Document, &c.Title, &c.Article, &c.Clause, &c.Point, &c.Text, &c.Score, &c.Source); err != nil {
			return nil, err
		}
		out[key] = append(out[key], c)
	}
	return out, rows.Err()
}

// VerifyCitation reports whether a citation's quote occurs in the unit it
// cites, read from the index (the clause, or the whole article when Clause
// is nil).
func (s *Store) VerifyCitation(ctx context.Context, c dossier.Citation) (bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT text FROM regulation_chunks WHERE number = $1 AND article = $2 AND ($3::int IS NULL OR clause = $3)`,
		legalnum.Normalize(c.Document), c.Article, c.Clause)
	if err != nil {
		return false, err
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, err
	}
	for _, t := range texts {
		if VerifyQuote(t, c.Text) {
			return true, nil
		}
	}
	return false, nil
}

// Cited reports whether citations of this procedure version were already
// computed with the current embedder, so that loaders can skip the work.
func (s *Store) Cited(ctx context.Context, p *catalog.Procedure) (bool, error) {
	eff := p.EffectiveFrom
	if eff.IsZero() {
		eff = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM regulation_citations
		WHERE procedure_code = $1 AND procedure_version = $2 AND effective_from = $3 AND model = $4)`,
		p.Code, p.Version, eff, s.emb.Name()).Scan(&ok)
	return ok, err
}

// LoadBM25 reads every chunk of the index (its article heading and text).
func (s *Store) LoadBM25(ctx context.Context) (*BM25, error) {
	rows, err := s.pool.Query(ctx, `SELECT number, article, article_title, text FROM regulation_chunks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	b := &BM25{post: map[string][]bm25Post{}}
	var total int
	defer rows.Close()
	for rows.Next() {
		var num, title, text string
		var art int
		if err := rows.Scan(&num, &art, &title, &text); err != nil {
			return nil, err
		}
		toks := vntext.Tokens(title + " " + text)
		tf := map[string]int{}
		for _, t := range toks {
			tf[t]++
		}
		id := len(b.docs)
		b.docs = append(b.docs, bm25Doc{key: ArticleKey(num, art), len: len(toks)})
		total += len(toks)
		for t, n := range tf {
			b.post[t] = append(b.post[t], bm25Post{id, n})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(b.docs) > 0 {
		b.avgLen = float64(total) / float64(len(b.docs))
	}
	return b, nil
}

// Built reports whether the index has vectors for the store's embedder.
func (s *Store) Built(ctx context.Context) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM regulation_embeddings WHERE model = $1)`, s.emb.Name()).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("regulation index %s: %w", s.emb.Name(), err)
	}
	return ok, nil
}

// lexStamp identifies the chunk table's contents cheaply.
func (s *Store) lexStamp(ctx context.Context) (string, error) {
	var n, m, e int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*), COALESCE(max(id), 0),
		COALESCE(sum(extract(epoch FROM effective_to))::bigint, 0) + count(effective_to)
		+ COALESCE(sum(length(repealed_articles::text)), 0) FROM regulation_documents`).Scan(&n, &m, &e); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/%d/%d", n, m, e), nil
}

func (s *Store) loadLexIndex(ctx context.Context, stamp string) (*lexIndex, error) {
	idx := &lexIndex{stamp: stamp, post: map[string][]posting{}, maxTF: map[string]float64{}, docs: map[int64]lexDoc{}}
	drows, err := s.pool.Query(ctx, `SELECT id, number, effective_from, effective_to, repealed_articles FROM regulation_documents`)
	if err != nil {
		return nil, err
	}
	// repealed is, per document, article → repealed from (LinkRepeals):
	// needed only to stamp each chunk's gone day below.
	repealed := map[int64]map[int]time.Time{}
	for drows.Next() {
		var id int64
		var d lexDoc
		var rep []byte
		if err := drows.Scan(&id, &d.number, &d.from, &d.to, &rep); err != nil {
			drows.Close()
			return nil, err
		}
		if r := parseRepealed(rep); r != nil {
			repealed[id] = r
		}
		idx.docs[id] = d
	}
	drows.Close()
	if err := drows.Err(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT id, document_id, article, lex_nfc, lex_fold, article_title FROM regulation_chunks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var art int32
	var lastDoc int64
	lastArt := -1
	for rows.Next() {
		var c lexChunk
		var article int
		var nfc, fold, title string
		if err := rows.Scan(&c.id, &c.doc, &article, &nfc, &fold, &title); err != nil {
			return nil, err
		}
		if c.doc != lastDoc || article != lastArt {
			art++
			lastDoc, lastArt = c.doc, article
		}
		c.art = art
		if t, ok := repealed[c.doc][article]; ok {
			c.gone = max(1, epochDay(t))
		}
		idx.add(c, nfc, fold, title)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	idx.finish()
	return idx, nil
}

// LinkReplacements marks every indexed document that a text in the index
// declares expired: effective_to becomes the replacing text's effective
// date and replaced_by its number, unless the registry already set them.
// It is idempotent and returns what it found.
func (s *Store) LinkReplacements(ctx context.Context) ([]Replacement, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.number, d.effective_from, c.text FROM regulation_chunks c JOIN regulation_documents d ON d.id = c.document_id
		WHERE c.article_title ILIKE 'Hiệu lực%' AND d.source_kind IN ('consolidated', 'original') AND d.effective_from IS NOT NULL
		  AND c.text LIKE '%hết hiệu lực%'`)
	if err != nil {
		return nil, err
	}
	type src struct {
		number string
		from   time.Time
		text   string
	}
	srcs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (src, error) {
		var x src
		err := r.Scan(&x.number, &x.from, &x.text)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	var out []Replacement
	seen := map[string]bool{}
	for _, x := range srcs {
		for _, n := range replacementsIn(x.text, x.number) {
			if seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, Replacement{Replaced: n, By: x.number, On: x.from})
		}
	}
	for _, r := range out {
		if _, err := s.pool.Exec(ctx, `UPDATE regulation_documents SET effective_to = $2, replaced_by = $3
			WHERE number = $1 AND effective_to IS NULL AND replaced_by = ''`, r.Replaced, r.On, r.By); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LinkRepeals records, on every indexed copy of a document, the articles
// that a text in the index repeals while the rest of the document stays in
// force (repealedArticlesIn), from the repealing text's effective date:
// the search leaves them out from that date. It reads the articles on
// entry into force and those headed "Bãi bỏ …" of consolidated and
// original texts (not OCR, whose numbers may be misread), keeps an earlier
// date already recorded, and is idempotent.
func (s *Store) LinkRepeals(ctx context.Context) ([]ArticleRepeal, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.number, d.effective_from, c.article_title, c.text FROM regulation_chunks c JOIN regulation_documents d ON d.id = c.document_id
		WHERE (c.article_title ILIKE 'Hiệu lực%' OR c.article_title ILIKE 'Bãi bỏ%' OR c.article_title ILIKE 'Điều khoản thi hành%')
		  AND d.source_kind IN ('consolidated', 'original') AND d.effective_from IS NOT NULL
		  AND (c.text ILIKE '%bãi bỏ%' OR c.article_title ILIKE 'Bãi bỏ%')
		ORDER BY d.effective_from, c.id`)
	if err != nil {
		return nil, err
	}
	type src struct {
		number      string
		from        time.Time
		title, text string
	}
	srcs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (src, error) {
		var x src
		err := r.Scan(&x.number, &x.from, &x.title, &x.text)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	var out []ArticleRepeal
	for _, x := range srcs {
		all := strings.HasPrefix(strings.ToLower(x.title), "bãi bỏ")
		found := repealedArticlesIn(x.text, x.number, all)
		nums := make([]string, 0, len(found))
		for n := range found {
			nums = append(nums, n)
		}
		sort.Strings(nums)
		for _, n := range nums {
			out = append(out, ArticleRepeal{Document: n, Articles: found[n], By: x.number, On: x.from})
		}
	}
	for _, r := range out {
		add := map[string]string{}
		for _, a := range r.Articles {
			add[fmt.Sprint(a)] = r.On.Format("2006-01-02")
		}
		b, _ := json.Marshal(add)
		// The earliest repeal wins: existing keys are kept (sources come
		// in order of effective date).
		if _, err := s.pool.Exec(ctx, `UPDATE regulation_documents SET repealed_articles = $2::jsonb || repealed_articles
			WHERE number = $1 AND NOT repealed_articles @> $2::jsonb`, r.Document, string(b)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseRepealed reads regulation_documents.repealed_articles.
func parseRepealed(b []byte) map[int]time.Time {
	var m map[string]string
	if len(b) == 0 || json.Unmarshal(b, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[int]time.Time, len(m))
	for k, v := range m {
		t, err := time.Parse("2006-01-02", v)
		if a := atoi(k); a > 0 && err == nil {
			out[a] = t
		}
	}
	return out
}

// cleanerCopies returns, for each hit (keyed by its chunk id), the same
// clause of the same article from a cleaner copy of its document, when the
// index holds one in force on the date: one query for all the hits.
func (s *Store) cleanerCopies(ctx context.Context, hs []Hit, on time.Time, future bool) (map[int64]Hit, error) {
	out := map[int64]Hit{}
	if len(hs) == 0 {
		return out, nil
	}
	nums, labels := make([]string, len(hs)), make([]string, len(hs))
	arts, clauses, owners := make([]int32, len(hs)), make([]int32, len(hs)), make([]int64, len(hs))
	for i, h := range hs {
		nums[i], labels[i], owners[i] = h.Document, h.ArticleLabel, h.ChunkID
		arts[i], clauses[i] = int32(h.Article), int32(*h.Clause)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT ON (w.owner) w.owner, c.id
		FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bigint[]) AS w(number, label, article, clause, owner)
		JOIN regulation_chunks c ON c.number = w.number AND c.article = w.article AND c.article_label = w.label AND c.clause = w.clause
		JOIN regulation_documents d ON d.id = c.document_id
		WHERE (d.effective_to IS NULL OR d.effective_to > $6) AND ($7 OR d.effective_from IS NULL OR d.effective_from <= $6)
		ORDER BY w.owner, CASE d.source_kind WHEN 'consolidated' THEN 0 WHEN 'original' THEN 1 WHEN 'ocr' THEN 2 ELSE 3 END, c.id`,
		nums, labels, arts, clauses, owners, on, future)
	if err != nil {
		return nil, err
	}
	best := map[int64]int64{}
	var ids []int64
	for rows.Next() {
		var owner, id int64
		if err := rows.Scan(&owner, &id); err != nil {
			rows.Close()
			return nil, err
		}
		if id != owner {
			best[owner] = id
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	loaded, err := s.load(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if c, ok := loaded[best[h.ChunkID]]; ok && sourceRank(c.SourceKind) < sourceRank(h.SourceKind) {
			out[h.ChunkID] = c
		}
	}
	return out, nil
}

// vector ranks chunks by cosine distance to the query's embedding, through
// the embedder's HNSW index (iterative scan, so filters still fill k). The
// filter is on documents: the ids of those passing it are computed once
// (an InitPlan over the small document table) and checked on the embedding
// rows the scan fetches, with no join to the chunks.
func (s *Store) vector(ctx context.Context, text string, f filter, limit int) ([]int64, error) {
	vecs, err := s.emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("embed query with %s: %w", s.emb.Name(), err)
	}
	if len(vecs) != 1 || len(vecs[0]) != s.emb.Dimension() {
		return nil, fmt.Errorf("embed query with %s: bad vector", s.emb.Name())
	}
	dim := s.emb.Dimension()
	args := []any{pgvector.NewVector(vecs[0]), s.emb.Name()}
	cond := ""
	if where := f.where(&args); where != "true" {
		cond = "AND e.document_id = ANY(ARRAY(SELECT d.id FROM regulation_documents d WHERE " + where + "))"
	}
	args = append(args, limit)
	sql := fmt.Sprintf(`SELECT id FROM (
		SELECT e.chunk_id AS id, e.embedding::vector(%d) <=> $1::vector(%d) AS dist
		FROM regulation_embeddings e
		WHERE e.model = $2 %s
		ORDER BY e.embedding::vector(%d) <=> $1::vector(%d) LIMIT $%d) x ORDER BY dist, id`,
		dim, dim, cond, dim, dim, len(args))
	// One round trip: the transaction, its settings and the query go as
	// one batch (a connection left in a failed transaction is discarded
	// by the pool on release).
	b := &pgx.Batch{}
	b.Queue(`BEGIN READ ONLY`)
	b.Queue(fmt.Sprintf(`SET LOCAL hnsw.ef_search = %d`, s.EfSearch))
	b.Queue(`SET LOCAL hnsw.iterative_scan = relaxed_order`)
	var ids []int64
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	b.Queue(`COMMIT`)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return ids, nil
}

func (s *Store) ids(ctx context.Context, sql string, args ...any) ([]int64, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func (s *Store) load(ctx context.Context, ids []int64) (map[int64]Hit, error) {
	out := map[int64]Hit{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.number, d.title, c.article, c.article_label, c.article_title, c.clause, c.points, c.text, c.chapter, d.source_kind,
			d.effective_from, d.effective_to, (d.repealed_articles ->> c.article::text)::date
		FROM regulation_chunks c JOIN regulation_documents d ON d.id = c.document_id WHERE c.id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		var pts []byte
		if err := rows.Scan(&h.ChunkID, &h.Document, &h.Title, &h.Article, &h.ArticleLabel, &h.ArticleTitle, &h.Clause, &pts, &h.Text, &h.Chapter, &h.SourceKind, &h.EffectiveFrom, &h.EffectiveTo, &h.repealedOn); err != nil {
			return nil, err
		}
		var ps []Point
		_ = json.Unmarshal(pts, &ps)
		h.ClauseText = pointsMarker(ps)
		out[h.ChunkID] = h
	}
	return out, rows.Err()
}

// articleUnit is one unit of an article as indexed: its intro (Clause nil)
// or one clause, with its text and folded indexed text (heading, lead and
// text).
type articleUnit struct {
	Clause *int
	Text   string
	Fold   string
}

// articleUnits returns, for each chunk id, every unit of that chunk's
// article in the same copy of the document, intro first, then clauses in
// order.
func (s *Store) articleUnits(ctx context.Context, ids []int64) (map[int64][]articleUnit, error) {
	out := map[int64][]articleUnit{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c1.id, c2.clause, c2.text, c2.lex_fold
		FROM regulation_chunks c1
		JOIN regulation_chunks c2 ON c2.document_id = c1.document_id AND c2.article_label = c1.article_label
		WHERE c1.id = ANY($1)
		ORDER BY c1.id, c2.clause NULLS FIRST, c2.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("article units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var u articleUnit
		if err := rows.Scan(&id, &u.Clause, &u.Text, &u.Fold); err != nil {
			return nil, err
		}
		out[id] = append(out[id], u)
	}
	return out, rows.Err()
}

// implementedLaws returns the laws in the index that documents of basis
// detail or guide ("Quy định chi tiết một số điều và biện pháp thi hành
// Luật Hộ tịch" → Luật Hộ tịch 60/2014/QH13 and its successor), read from
// the documents' titles, leaving out those already in basis.
func (s *Store) implementedLaws(ctx context.Context, basis []string) ([]string, error) {
	if len(basis) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT number, title FROM regulation_documents`)
	if err != nil {
		return nil, fmt.Errorf("document titles: %w", err)
	}
	type doc struct{ number, title string }
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (doc, error) {
		var d doc
		err := r.Scan(&d.number, &d.title)
		return d, err
	})
	if err != nil {
		return nil, err
	}
	var titles []string
	for _, d := range docs {
		if slices.Contains(basis, d.number) {
			titles = append(titles, d.title)
		}
	}
	var laws []lawTitle
	for _, d := range docs {
		if t := vntext.FoldedTokens(d.title); len(t) >= 2 && t[0] == "luat" {
			laws = append(laws, lawTitle{number: d.number, tokens: t})
		}
	}
	var out []string
	for _, n := range parentLaws(titles, laws) {
		if !slices.Contains(basis, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
