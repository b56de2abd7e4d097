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
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
	"github.com/schollz/progressbar/v3"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/embedding"
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
	return &Store{pool: pool, emb: emb, RRFK: 60, Depth: 50, EfSearch: 100, lex: &lexCache{}}
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
				SELECT c.id, c.chapter, c.article_label, c.article_title, c.text FROM regulation_chunks c
				WHERE c.id > $2 AND NOT EXISTS (SELECT 1 FROM regulation_embeddings e WHERE e.model = $1 AND e.chunk_id = c.id)
				ORDER BY c.id LIMIT $3`, model, lastID, batch)
			if err != nil {
				return done, err
			}
			var ids []int64
			var texts []string
			for rows.Next() {
				var id int64
				var ch, label, title, text string
				if err := rows.Scan(&id, &ch, &label, &title, &text); err != nil {
					rows.Close()
					return done, err
				}
				ids = append(ids, id)
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
				out[i] = []any{model, dim, ids[i], pgvector.NewVector(vecs[i])}
			}
			if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"regulation_embeddings"}, []string{"model", "dim", "chunk_id", "embedding"}, pgx.CopyFromRows(out)); err != nil {
				return done, err
			}
			done += len(ids)
			_ = bar.Add(len(ids))
		}
		_ = bar.Finish()
		total = done
	}
	return total, s.ensureIndex(ctx)
}

// embedText is what the embedder sees for a chunk: the article heading and
// the unit's text.
func embedText(label, title, text string) string {
	return "Điều " + label + ". " + title + "\n" + text
}

// ensureIndex creates the partial HNSW index for the embedder's (model,
// dimension) when no index covers it yet (see 00003_regulation.sql).
func (s *Store) ensureIndex(ctx context.Context) error {
	model, dim := s.emb.Name(), s.emb.Dimension()
	lit := "'" + strings.ReplaceAll(model, "'", "''") + "'"
	var exists bool
	if err := s.pool.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'regulation_embeddings'
			AND indexdef LIKE $1 AND indexdef LIKE $2)`, fmt.Sprintf("%%vector(%d))%%", dim), "%"+lit+"%").Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	h := sha256.Sum256([]byte(model))
	name := fmt.Sprintf("regulation_embeddings_hnsw_%x_%d", h[:4], dim)
	_, err := s.pool.Exec(ctx, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON regulation_embeddings
		USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WITH (m = 16, ef_construction = 64) WHERE model = %s`, name, dim, lit))
	if err != nil {
		return fmt.Errorf("create hnsw index for %s: %w", model, err)
	}
	return nil
}

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
