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
//	go test ./internal/regulation/ -run '^$' -bench Search100k -benchtime 1x
func BenchmarkSearch100k(b *testing.B) {
	const target = 100_000
	ctx := context.Background()
	pool, _ := postgrestest.New(b)
	emb := embedding.NewHashing()
	s := NewStore(pool, emb)
	if _, err := s.Import(ctx, []string{filepath.Join(repoRoot(), "data", "legal")}, nil); err != nil {
		b.Fatal(err)
	}
	type row struct {
		doc                                 int64
		number, chapter, label, title, text string
		article                             int
	}
	rows, err := pool.Query(ctx, `SELECT document_id, number, chapter, article, article_label, article_title, text FROM regulation_chunks`)
	if err != nil {
		b.Fatal(err)
	}
	var base []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.doc, &r.number, &r.chapter, &r.article, &r.label, &r.title, &r.text); err != nil {
			b.Fatal(err)
		}
		base = append(base, r)
	}
	rows.Close()
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
	if err := s.refreshTerms(ctx); err != nil {
		b.Fatal(err)
	}
	// Embed the new chunks (real vectors), without the index.
	if _, err := s.Reembed(ctx, nil); err != nil {
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
	start := time.Now()
	if _, err := pool.Exec(ctx, `CREATE INDEX regulation_embeddings_hnsw_local_hashing_384
		ON regulation_embeddings USING hnsw ((embedding::vector(384)) vector_cosine_ops)
		WITH (m = 16, ef_construction = 64) WHERE model = 'local-hashing-uni-bi-char3-v1'`); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	if _, err := pool.Exec(ctx, `ANALYZE regulation_embeddings; ANALYZE regulation_chunks`); err != nil {
		b.Fatal(err)
	}

	qs, err := LoadQuestions(filepath.Join(repoRoot(), "evals", "regulation", "questions.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	var vecLat, hybLat []time.Duration
	var recall float64
	// The lexical stage loads its in-memory index on first use; that load
	// (once per process and import) is not a query's latency.
	t0 := time.Now()
	if _, err := s.Search(ctx, Query{Text: "khai sinh", K: 1}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "lexical_index_load_ms")
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		vecLat, hybLat, recall = vecLat[:0], hybLat[:0], 0
		for _, q := range qs {
			t0 := time.Now()
			ann, err := s.vector(ctx, q.Question, filter{}, 10)
			if err != nil {
				b.Fatal(err)
			}
			vecLat = append(vecLat, time.Since(t0))
			t0 = time.Now()
			if _, err := s.Search(ctx, Query{Text: q.Question, K: 10}); err != nil {
				b.Fatal(err)
			}
			hybLat = append(hybLat, time.Since(t0))
			exact, err := exactTop(ctx, s, q.Question, 10)
			if err != nil {
				b.Fatal(err)
			}
			in := map[int64]bool{}
			for _, id := range exact {
				in[id] = true
			}
			found := 0
			for _, id := range ann {
				if in[id] {
					found++
				}
			}
			recall += float64(found) / float64(len(exact))
		}
	}
	b.StopTimer()
	recall /= float64(len(qs))
	b.ReportMetric(float64(n), "chunks")
	b.ReportMetric(build.Seconds(), "index_build_s")
	b.ReportMetric(pct(vecLat, 50), "vector_p50_ms")
	b.ReportMetric(pct(vecLat, 99), "vector_p99_ms")
	b.ReportMetric(pct(hybLat, 50), "hybrid_p50_ms")
	b.ReportMetric(pct(hybLat, 99), "hybrid_p99_ms")
	if v := pct(vecLat, 99); v > 0 {
		b.ReportMetric(pct(hybLat, 99)/v, "hybrid/hnsw_p99")
	}
	b.ReportMetric(recall, "hnsw_recall@10")
}

// exactTop is the exact nearest-neighbour scan (index disabled).
func exactTop(ctx context.Context, s *Store, text string, k int) ([]int64, error) {
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
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT chunk_id FROM regulation_embeddings WHERE model = $2
		ORDER BY embedding::vector(%d) <=> $1::vector(%d), chunk_id LIMIT %d`, s.emb.Dimension(), s.emb.Dimension(), k),
		pgvector.NewVector(vecs[0]), s.emb.Name())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
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
