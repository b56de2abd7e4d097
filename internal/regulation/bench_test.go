package regulation

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// BenchmarkSearch100k grows the demo corpus to 100k chunks of new text,
// embeds them with the real local embedder, rebuilds the HNSW index and
// reports: index build time, vector (HNSW) and hybrid search latency p50 and
// p99 and the ratio of the p99s (the aim is hybrid ≤ 3× HNSW, in
// the same run), and recall@10 of HNSW against an exact scan over the same
// rows.
//
// The new chunks are drawn from a word-bigram model of the corpus's texts
// (and of its headings for their headings): Vietnamese legal vocabulary
// and word frequencies, but no chunk is a near-copy of another. The former
// benchmark copied every chunk thirty times with one word dropped; its
// exact 10 nearest neighbours were then a tie among copies, and HNSW
// recall@10 (0.65) measured which copy won the tie, not the index.
//
//	go test ./internal/regulation/ -run '^$' -bench Search100k -benchtime 1x -timeout 40m
func BenchmarkSearch100k(b *testing.B) { benchSearch(b, 100_000) }

// BenchmarkSearch20k is the same at 20k chunks, for iterating on the
// search (a few minutes instead of twenty); the figures to report are
// Search100k's.
func BenchmarkSearch20k(b *testing.B) { benchSearch(b, 20_000) }

func benchSearch(b *testing.B, target int) {
	ctx := context.Background()
	pool, _ := postgrestest.New(b)
	emb := embedding.NewHashing()
	s := NewStore(pool, emb)
	if _, err := s.Import(ctx, []string{filepath.Join(repoRoot(), "data", "legal")}, nil); err != nil {
		b.Fatal(err)
	}
	type row struct {
		id, doc                             int64
		number, chapter, label, title, text string
		article                             int
	}
	rows, err := pool.Query(ctx, `SELECT id, document_id, number, chapter, article, article_label, article_title, text FROM regulation_chunks ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.doc, &r.number, &r.chapter, &r.article, &r.label, &r.title, &r.text); err != nil {
			b.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	// The demo corpus holds the same article several times (consolidated
	// text, original, OCR copy, Pháp điển excerpt): near-copies whose
	// distances to a question tie or nearly tie, so recall@10 would
	// measure which copy won, not the index. Keep the first chunk of each
	// group of chunks within cosine distance nearCopy of each other.
	texts := make([]string, len(all))
	for i, r := range all {
		texts[i] = embedText(r.label, r.title, r.text)
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		b.Fatal(err)
	}
	var base []row
	var kept [][]float32
	var drop []int64
	for i, r := range all {
		dup := false
		for _, v := range kept {
			if 1-dot(v, vecs[i]) < nearCopy {
				dup = true
				break
			}
		}
		if dup {
			drop = append(drop, r.id)
			continue
		}
		base = append(base, r)
		kept = append(kept, vecs[i])
	}
	if _, err := pool.Exec(ctx, `DELETE FROM regulation_chunks WHERE id = ANY($1)`, drop); err != nil {
		b.Fatal(err)
	}
	b.Logf("corpus: %d chunks imported, %d near-copies removed", len(all), len(drop))
	if _, err := pool.Exec(ctx, `DROP INDEX regulation_embeddings_hnsw_local_hashing_384`); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	textModel, titleModel := newBigramModel(), newBigramModel()
	for _, r := range base {
		textModel.learn(strings.Fields(r.text))
		titleModel.learn(strings.Fields(r.title))
	}
	var chunkRows [][]any
	seen := map[string]bool{}
	for len(chunkRows)+len(base) < target {
		r := base[rng.IntN(len(base))]
		t := strings.Join(textModel.sample(rng, len(strings.Fields(base[rng.IntN(len(base))].text))), " ")
		if seen[t] {
			continue
		}
		seen[t] = true
		title := strings.Join(titleModel.sample(rng, len(strings.Fields(r.title))), " ")
		idx := title + "\n" + t
		chunkRows = append(chunkRows, []any{r.doc, r.number, r.chapter, r.article, r.label, title, t, lexNFC(idx), lexFold(idx)})
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"regulation_chunks"},
		[]string{"document_id", "number", "chapter", "article", "article_label", "article_title", "text", "lex_nfc", "lex_fold"},
		pgx.CopyFromRows(chunkRows)); err != nil {
		b.Fatal(err)
	}
	b.Logf("corpus: %d base chunks, %d drawn", len(base), len(chunkRows))
	if err := s.refreshTerms(ctx); err != nil {
		b.Fatal(err)
	}
	// Embed the new chunks (real vectors), without the index (Reembed
	// would build it, and the build is timed below).
	if _, err := s.embedMissing(ctx, nil); err != nil {
		b.Fatal(err)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM regulation_embeddings`).Scan(&n)
	if _, err := pool.Exec(ctx, `DROP INDEX IF EXISTS regulation_embeddings_hnsw_local_hashing_384`); err != nil {
		b.Fatal(err)
	}
	var idxName string
	_ = pool.QueryRow(ctx, `SELECT indexname FROM pg_indexes WHERE tablename = 'regulation_embeddings' AND indexdef LIKE '%hnsw%' AND schemaname = current_schema()`).Scan(&idxName)
	if idxName != "" {
		if _, err := pool.Exec(ctx, `DROP INDEX `+idxName); err != nil {
			b.Fatal(err)
		}
	}
	// The index hoso itself builds (ensureIndex), after the rows are in.
	start := time.Now()
	if err := s.ensureIndex(ctx); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	b.Logf("hnsw index built in %s", build)
	if _, err := pool.Exec(ctx, `ANALYZE regulation_embeddings; ANALYZE regulation_chunks`); err != nil {
		b.Fatal(err)
	}

	qs, err := LoadQuestions(filepath.Join(repoRoot(), "evals", "regulation", "questions.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	// Each question is asked passes times (interleaved), so that p99 is
	// not simply the slowest of 76 samples on a busy machine.
	const passes = 5
	var vecLat, hybLat, lexLat, fvecLat []time.Duration
	// The lexical stage loads its in-memory index on first use; that load
	// (once per process and import) is not a query's latency.
	t0 := time.Now()
	if _, err := s.Search(ctx, Query{Text: "khai sinh", K: 1}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "lexical_index_load_ms")
	on := s.now()
	depth := max(s.Depth, 60)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		vecLat, hybLat, lexLat, fvecLat = vecLat[:0], hybLat[:0], lexLat[:0], fvecLat[:0]
		for range passes {
			for _, q := range qs {
				t0 := time.Now()
				if _, err := s.vector(ctx, q.Question, filter{}, 10); err != nil {
					b.Fatal(err)
				}
				vecLat = append(vecLat, time.Since(t0))
				t0 = time.Now()
				if _, err := s.Search(ctx, Query{Text: q.Question, K: 10}); err != nil {
					b.Fatal(err)
				}
				hybLat = append(hybLat, time.Since(t0))
				// The two retrievers of the hybrid search on their own
				// (as Search calls them), to see where its time goes.
				exp := s.thesaurus().Expand(q.Question)
				t0 = time.Now()
				if _, err := s.lexical(ctx, q.Question, exp, filter{on: on}, depth); err != nil {
					b.Fatal(err)
				}
				lexLat = append(lexLat, time.Since(t0))
				t0 = time.Now()
				if _, err := s.vector(ctx, q.Question, filter{on: on}, depth); err != nil {
					b.Fatal(err)
				}
				fvecLat = append(fvecLat, time.Since(t0))
			}
		}
	}
	b.StopTimer()
	// Recall@10 of the HNSW scan against the exact scan, without and with
	// the in-force filter the hybrid search applies.
	var recall, frecall float64
	for _, q := range qs {
		r, err := recallAt(ctx, s, q.Question, filter{}, 10)
		if err != nil {
			b.Fatal(err)
		}
		recall += r
		if r, err = recallAt(ctx, s, q.Question, filter{on: on}, 10); err != nil {
			b.Fatal(err)
		}
		frecall += r
	}
	recall /= float64(len(qs))
	frecall /= float64(len(qs))
	// Recall at other ef_search values, for choosing the default.
	ef := s.EfSearch
	for _, e := range []int{100, 200, 400, 1000} {
		s.EfSearch = e
		r := 0.0
		for _, q := range qs {
			x, err := recallAt(ctx, s, q.Question, filter{}, 10)
			if err != nil {
				b.Fatal(err)
			}
			r += x
		}
		b.ReportMetric(r/float64(len(qs)), fmt.Sprintf("recall@10_ef%d", e))
	}
	s.EfSearch = ef
	b.ReportMetric(float64(n), "chunks")
	b.ReportMetric(build.Seconds(), "index_build_s")
	b.ReportMetric(pct(vecLat, 50), "vector_p50_ms")
	b.ReportMetric(pct(vecLat, 99), "vector_p99_ms")
	b.ReportMetric(pct(hybLat, 50), "hybrid_p50_ms")
	b.ReportMetric(pct(hybLat, 99), "hybrid_p99_ms")
	b.ReportMetric(pct(lexLat, 99), "lexical_stage_p99_ms")
	b.ReportMetric(pct(fvecLat, 99), "vector_stage_p99_ms")
	if v := pct(vecLat, 99); v > 0 {
		b.ReportMetric(pct(hybLat, 99)/v, "hybrid/hnsw_p99")
	}
	b.ReportMetric(recall, "hnsw_recall@10")
	b.ReportMetric(frecall, "hnsw_filtered_recall@10")
}

// recallAt is the share of the exact k nearest neighbours (among chunks
// passing f) that the HNSW search returns. A returned chunk at the same
// distance as the exact k-th counts as found: which of several equidistant
// chunks wins a tie says nothing about the index.
func recallAt(ctx context.Context, s *Store, text string, f filter, k int) (float64, error) {
	ann, err := s.vector(ctx, text, f, k)
	if err != nil {
		return 0, err
	}
	exact, err := exactTop(ctx, s, text, f, k)
	if err != nil {
		return 0, err
	}
	if len(exact) == 0 {
		return 1, nil
	}
	kth := exact[len(exact)-1].dist
	in := map[int64]bool{}
	for _, e := range exact {
		in[e.id] = true
	}
	d, err := distances(ctx, s, text, ann)
	if err != nil {
		return 0, err
	}
	found := 0
	for _, id := range ann {
		if in[id] || d[id] <= kth+1e-9 {
			found++
		}
	}
	return float64(min(found, len(exact))) / float64(len(exact)), nil
}

type near struct {
	id   int64
	dist float64
}

// exactTop is the exact nearest-neighbour scan (index disabled) among
// the chunks passing f.
func exactTop(ctx context.Context, s *Store, text string, f filter, k int) ([]near, error) {
	vecs, err := s.emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
		return nil, err
	}
	dim := s.emb.Dimension()
	args := []any{pgvector.NewVector(vecs[0]), s.emb.Name()}
	where := f.where(&args)
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT e.chunk_id, e.embedding::vector(%d) <=> $1::vector(%d) AS dist
		FROM regulation_embeddings e JOIN regulation_chunks c ON c.id = e.chunk_id JOIN regulation_documents d ON d.id = c.document_id
		WHERE e.model = $2 AND %s ORDER BY dist, e.chunk_id LIMIT %d`, dim, dim, where, k), args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (near, error) {
		var x near
		err := r.Scan(&x.id, &x.dist)
		return x, err
	})
}

// distances returns the cosine distance of each chunk to the query.
func distances(ctx context.Context, s *Store, text string, ids []int64) (map[int64]float64, error) {
	vecs, err := s.emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	dim := s.emb.Dimension()
	rows, err := s.pool.Query(ctx, fmt.Sprintf(`SELECT chunk_id, embedding::vector(%d) <=> $1::vector(%d) FROM regulation_embeddings
		WHERE model = $2 AND chunk_id = ANY($3)`, dim, dim), pgvector.NewVector(vecs[0]), s.emb.Name(), ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]float64{}
	for rows.Next() {
		var id int64
		var d float64
		if err := rows.Scan(&id, &d); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = d
	}
	rows.Close()
	return out, rows.Err()
}

// nearCopy is the cosine distance under which two chunks of the demo
// corpus count as copies of one text.
const nearCopy = 0.1

func dot(a, b []float32) float64 {
	var x float64
	for i := range a {
		x += float64(a[i]) * float64(b[i])
	}
	return x
}

func pct(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i >= len(s) {
		i = len(s) - 1
	}
	return float64(s[i].Microseconds()) / 1000
}

// bigramModel is a word-bigram model of a text collection, for drawing new
// texts with the collection's vocabulary and word frequencies.
type bigramModel struct {
	next   map[string][]string
	starts []string
}

func newBigramModel() *bigramModel { return &bigramModel{next: map[string][]string{}} }

func (m *bigramModel) learn(w []string) {
	if len(w) == 0 {
		return
	}
	m.starts = append(m.starts, w[0])
	for i := 0; i+1 < len(w); i++ {
		m.next[w[i]] = append(m.next[w[i]], w[i+1])
	}
}

// sample draws n words (at least one), restarting at a text's first word
// where the chain ends.
func (m *bigramModel) sample(rng *rand.Rand, n int) []string {
	if n < 1 {
		n = 1
	}
	out := make([]string, 0, n)
	w := m.starts[rng.IntN(len(m.starts))]
	for len(out) < n {
		out = append(out, w)
		if nx := m.next[w]; len(nx) > 0 {
			w = nx[rng.IntN(len(nx))]
		} else {
			w = m.starts[rng.IntN(len(m.starts))]
		}
	}
	return out
}
