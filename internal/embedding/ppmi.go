package embedding

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// PPMIName is the family name of the corpus-trained embedder; the stored
// name adds the dimension and a digest of the trained vectors, so vectors
// of one training are never compared with query vectors of another.
const PPMIName = "local-ppmi-svd"

// PPMIOptions are the training settings. The zero value means the
// defaults of Levy, Goldberg & Dagan (2015) for PPMI-SVD where they apply:
// window 5 (here ±4 syllables, since a Vietnamese word is two syllables),
// context-distribution smoothing 0.75, symmetric weighting Σ^0.5.
type PPMIOptions struct {
	Dim     int // vector length (default 128)
	Vocab   int // most frequent terms kept (default 8000)
	MinDF   int // a term must occur in at least this many texts (default 3)
	Window  int // co-occurrence window in syllables on each side (default 4)
	MaxDocs int // sample this many texts at most (default 60000)
}

func (o *PPMIOptions) defaults() {
	if o.Dim <= 0 {
		o.Dim = 128
	}
	if o.Vocab <= 0 {
		o.Vocab = 8000
	}
	if o.MinDF <= 0 {
		o.MinDF = 3
	}
	if o.Window <= 0 {
		o.Window = 4
	}
	if o.MaxDocs <= 0 {
		o.MaxDocs = 60000
	}
}

// PPMI is a word-vector embedder trained on the corpus it serves: the
// positive pointwise mutual information of syllables and syllable bigrams
// co-occurring within a window, factorised by a truncated (randomised) SVD
// into dense word vectors (Levy, Goldberg & Dagan 2015, "Improving
// distributional similarity with lessons learned from word embeddings").
// A text's vector is the IDF- and log-TF-weighted sum of its terms'
// vectors, L2-normalised. Words that share contexts in the law ("ly hôn"
// and "thuận tình", "hộ kinh doanh" and "đăng ký kinh doanh") get close
// vectors; words never seen in the corpus get none (a citizen's slang
// that no text uses is still only bridged by the thesaurus).
//
// It is deterministic for the same texts and options. Safe for concurrent
// Embed calls.
type PPMI struct {
	name  string
	dim   int
	index map[string]int
	idf   []float32
	vecs  []float32 // len(index) × dim, row-major
}

type ppmiFile struct {
	Dim   int
	Terms []string
	IDF   []float32
	Vecs  []float32
}

// Name is "local-ppmi-svd-<dim>-<digest>-v1".
func (p *PPMI) Name() string { return p.name }

// Dimension returns the vector length.
func (p *PPMI) Dimension() int { return p.dim }

// Terms is the vocabulary size.
func (p *PPMI) Terms() int { return len(p.index) }

// ppmiTerms are the syllables and syllable bigrams of a text (NFC, lower
// case), in order: each syllable followed by the bigram it starts.
func ppmiTerms(text string) []string {
	toks := vntext.Tokens(text)
	out := make([]string, 0, 2*len(toks))
	for i, t := range toks {
		out = append(out, t)
		if i+1 < len(toks) {
			out = append(out, t+" "+toks[i+1])
		}
	}
	return out
}

// TrainPPMI trains the embedder on texts (the corpus's chunks).
func TrainPPMI(ctx context.Context, texts []string, o PPMIOptions) (*PPMI, error) {
	o.defaults()
	if len(texts) > o.MaxDocs {
		// A fixed stride sample keeps training time bounded and the
		// result deterministic.
		step := float64(len(texts)) / float64(o.MaxDocs)
		s := make([]string, 0, o.MaxDocs)
		for i := 0; i < o.MaxDocs; i++ {
			s = append(s, texts[int(float64(i)*step)])
		}
		texts = s
	}
	docs := make([][]string, len(texts))
	df := map[string]int{}
	for i, t := range texts {
		docs[i] = ppmiTerms(t)
		seen := map[string]bool{}
		for _, w := range docs[i] {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	type tc struct {
		t string
		n int
	}
	var cand []tc
	for t, n := range df {
		if n >= o.MinDF {
			cand = append(cand, tc{t, n})
		}
	}
	sort.Slice(cand, func(i, j int) bool {
		if cand[i].n != cand[j].n {
			return cand[i].n > cand[j].n
		}
		return cand[i].t < cand[j].t
	})
	if len(cand) > o.Vocab {
		cand = cand[:o.Vocab]
	}
	v := len(cand)
	if v < o.Dim+16 {
		return nil, fmt.Errorf("ppmi: %d terms, too few for %d dimensions", v, o.Dim)
	}
	index := make(map[string]int, v)
	idf := make([]float32, v)
	for i, c := range cand {
		index[c.t] = i
		idf[i] = float32(math.Log(float64(len(docs)+1) / float64(c.n+1)))
	}
	// Co-occurrence counts within the window (positions are syllables:
	// a bigram sits at its first syllable's position).
	co := map[uint64]float64{}
	for di, d := range docs {
		if di%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ids := make([]int, len(d))
		pos := make([]int, len(d))
		p := -1
		for i, w := range d {
			if !containsSpace(w) {
				p++
			}
			pos[i] = p
			if x, ok := index[w]; ok {
				ids[i] = x
			} else {
				ids[i] = -1
			}
		}
		for i := range d {
			if ids[i] < 0 {
				continue
			}
			for j := i + 1; j < len(d) && pos[j]-pos[i] <= o.Window; j++ {
				if ids[j] < 0 || ids[j] == ids[i] || pos[j] == pos[i] {
					continue
				}
				a, b := ids[i], ids[j]
				co[uint64(a)<<32|uint64(b)]++
				co[uint64(b)<<32|uint64(a)]++
			}
		}
	}
	// PPMI with context-distribution smoothing (α = 0.75).
	row := make([]float64, v)
	for k, n := range co {
		row[k>>32] += n
	}
	var total, ctxTotal float64
	ctxP := make([]float64, v)
	for i, n := range row {
		total += n
		ctxP[i] = math.Pow(n, 0.75)
		ctxTotal += ctxP[i]
	}
	if total == 0 {
		return nil, errors.New("ppmi: no co-occurrences")
	}
	type cell struct {
		j int
		x float64
	}
	rows := make([][]cell, v)
	for k, n := range co {
		i, j := int(k>>32), int(k&0xffffffff)
		pmi := math.Log((n / total) / ((row[i] / total) * (ctxP[j] / ctxTotal)))
		if pmi > 0 {
			rows[i] = append(rows[i], cell{j, pmi})
		}
	}
	for i := range rows {
		sort.Slice(rows[i], func(a, b int) bool { return rows[i][a].j < rows[i][b].j })
	}
	mul := func(y, x *mat.Dense) { // y = M·x (M is v×v sparse, symmetric)
		_, c := x.Dims()
		y.Zero()
		for i, r := range rows {
			out := y.RawRowView(i)
			for _, e := range r {
				in := x.RawRowView(e.j)
				for k := 0; k < c; k++ {
					out[k] += e.x * in[k]
				}
			}
		}
	}
	// Randomised SVD (Halko, Martinsson & Tropp 2011): range of M·Ω with
	// two power iterations, then the SVD of the small projected matrix.
	l := o.Dim + 16
	rng := rand.New(rand.NewPCG(uint64(v), uint64(o.Dim)))
	omega := mat.NewDense(v, l, nil)
	for i := 0; i < v; i++ {
		for k := 0; k < l; k++ {
			omega.Set(i, k, rng.NormFloat64())
		}
	}
	y := mat.NewDense(v, l, nil)
	mul(y, omega)
	orth := func(a *mat.Dense) *mat.Dense { return orthonormal(a) }
	q := orth(y)
	for it := 0; it < 2; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mul(y, q)
		q = orth(y)
	}
	mq := mat.NewDense(v, l, nil)
	mul(mq, q) // B = Qᵀ·M = (M·Q)ᵀ since M is symmetric
	var svd mat.SVD
	if !svd.Factorize(mq.T(), mat.SVDThin) {
		return nil, errors.New("ppmi: svd did not converge")
	}
	var ub mat.Dense
	svd.UTo(&ub)
	sv := svd.Values(nil)
	var u mat.Dense
	u.Mul(q, &ub) // v×l: left singular vectors of M
	vecs := make([]float32, v*o.Dim)
	for i := 0; i < v; i++ {
		for k := 0; k < o.Dim; k++ {
			vecs[i*o.Dim+k] = float32(u.At(i, k) * math.Sqrt(sv[k]))
		}
	}
	p := &PPMI{dim: o.Dim, index: index, idf: idf, vecs: vecs}
	terms := make([]string, v)
	for t, i := range index {
		terms[i] = t
	}
	p.name = ppmiModelName(o.Dim, terms, vecs)
	return p, nil
}

// orthonormal returns an orthonormal basis of a's columns (modified
// Gram–Schmidt, twice for stability; a thin QR without forming the full
// v×v Q that mat.QR would).
func orthonormal(a *mat.Dense) *mat.Dense {
	r, c := a.Dims()
	cols := make([][]float64, c)
	for k := 0; k < c; k++ {
		cols[k] = mat.Col(nil, k, a)
	}
	for pass := 0; pass < 2; pass++ {
		for k := 0; k < c; k++ {
			for j := 0; j < k; j++ {
				var d float64
				for i := 0; i < r; i++ {
					d += cols[j][i] * cols[k][i]
				}
				for i := 0; i < r; i++ {
					cols[k][i] -= d * cols[j][i]
				}
			}
			var n float64
			for _, x := range cols[k] {
				n += x * x
			}
			n = math.Sqrt(n)
			if n < 1e-12 {
				for i := range cols[k] {
					cols[k][i] = 0
				}
				continue
			}
			for i := range cols[k] {
				cols[k][i] /= n
			}
		}
	}
	q := mat.NewDense(r, c, nil)
	for k := 0; k < c; k++ {
		q.SetCol(k, cols[k])
	}
	return q
}

func containsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return true
		}
	}
	return false
}

func ppmiModelName(dim int, terms []string, vecs []float32) string {
	h := sha256.New()
	for _, t := range terms {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	for _, x := range vecs {
		b := math.Float32bits(x)
		h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
	}
	return fmt.Sprintf("%s-%d-%s-v1", PPMIName, dim, hex.EncodeToString(h.Sum(nil))[:10])
}

// Embed returns one unit vector per text (zero for a text with no known
// term).
func (p *PPMI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = p.embed(t)
	}
	return out, nil
}

func (p *PPMI) embed(text string) []float32 {
	tf := map[int]int{}
	for _, w := range ppmiTerms(text) {
		if i, ok := p.index[w]; ok {
			tf[i]++
		}
	}
	acc := make([]float64, p.dim)
	for i, n := range tf {
		w := float64(p.idf[i]) * (1 + math.Log(float64(n)))
		row := p.vecs[i*p.dim : (i+1)*p.dim]
		for k, x := range row {
			acc[k] += w * float64(x)
		}
	}
	return unit(acc)
}

// MarshalBinary stores the trained model (vocabulary, IDF, vectors).
func (p *PPMI) MarshalBinary() ([]byte, error) {
	f := ppmiFile{Dim: p.dim, Terms: make([]string, len(p.index)), IDF: p.idf, Vecs: p.vecs}
	for t, i := range p.index {
		f.Terms[i] = t
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LoadPPMI reads a model MarshalBinary wrote; its name is recomputed from
// the contents, so a damaged model never passes for the stored one.
func LoadPPMI(data []byte) (*PPMI, error) {
	var f ppmiFile
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&f); err != nil {
		return nil, fmt.Errorf("ppmi model: %w", err)
	}
	if f.Dim <= 0 || len(f.IDF) != len(f.Terms) || len(f.Vecs) != len(f.Terms)*f.Dim {
		return nil, errors.New("ppmi model: inconsistent sizes")
	}
	p := &PPMI{dim: f.Dim, index: make(map[string]int, len(f.Terms)), idf: f.IDF, vecs: f.Vecs}
	for i, t := range f.Terms {
		p.index[t] = i
	}
	p.name = ppmiModelName(f.Dim, f.Terms, f.Vecs)
	return p, nil
}
