package classifier

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Model is a multinomial logistic regression over TF-IDF weighted,
// accent-folded syllable unigrams and bigrams plus title-line features, with
// a temperature fitted on held-out documents so that its confidence is
// calibrated. A Model is immutable after Train or Load and safe for
// concurrent use.
type Model struct {
	classes []string
	vocab   map[string]int32
	feats   []string
	idf     []float32
	w       [][]float32 // [class][feature]
	b       []float32
	temp    float64
	info    ModelInfo
	hash    string
	scratch sync.Pool // of *vectorizeScratch
	tokens  tokenIndex
	wtOnce  sync.Once
	wt      []float32 // byFeature
}

// tokenIndex is the vocabulary by token: every token that some feature
// names gets a number; a unigram feature is found by the token's number, a
// bigram by the pair of numbers, so vectorizeTokens looks each document
// token up once instead of building and looking up two feature strings.
// Features are "u:t", "b:t_u" and, of the title, "tu:t", "tb:t_u", with
// tokens that hold no ':' or '_' (foldedTokens gives letters and digits).
type tokenIndex struct {
	once sync.Once
	ok   bool             // every feature has one of those forms
	ids  map[string]int32 // token → number
	// uni[0] (body) and uni[1] (title): the feature of token number i, or -1.
	uni [2][]int32
	// bi[0], bi[1]: the feature of the pair (i, j), keyed i<<32 | j.
	bi [2]map[uint64]int32
}

func (m *Model) tokenIndex() *tokenIndex {
	x := &m.tokens
	x.once.Do(func() {
		x.ids = map[string]int32{}
		id := func(t string) int32 {
			n, ok := x.ids[t]
			if !ok {
				n = int32(len(x.ids))
				x.ids[t] = n
			}
			return n
		}
		type uf struct{ part, tok, feat int32 }
		var unis []uf
		x.bi = [2]map[uint64]int32{{}, {}}
		x.ok = true
		for i, f := range m.feats {
			part := int32(0)
			if strings.HasPrefix(f, "t") {
				part, f = 1, f[1:]
			}
			kind, rest, found := strings.Cut(f, ":")
			switch {
			case !found || rest == "" || strings.ContainsAny(rest, ":"):
				x.ok = false
			case kind == "u" && !strings.Contains(rest, "_"):
				unis = append(unis, uf{part, id(rest), int32(i)})
			case kind == "b":
				a, b, found := strings.Cut(rest, "_")
				if !found || a == "" || b == "" || strings.Contains(b, "_") {
					x.ok = false
					continue
				}
				x.bi[part][uint64(id(a))<<32|uint64(id(b))] = int32(i)
			default:
				x.ok = false
			}
		}
		for p := range x.uni {
			x.uni[p] = make([]int32, len(x.ids))
			for i := range x.uni[p] {
				x.uni[p][i] = -1
			}
		}
		for _, u := range unis {
			x.uni[u.part][u.tok] = u.feat
		}
	})
	return x
}

// ModelInfo records how a model was trained and calibrated.
type ModelInfo struct {
	Description string  `json:"description"`
	TrainDocs   int     `json:"train_docs"`
	CalibDocs   int     `json:"calib_docs"`
	Temperature float64 `json:"temperature"`
	ECERaw      float64 `json:"ece_raw"`        // on the calibration split, before temperature
	ECECal      float64 `json:"ece_calibrated"` // after
}

const modelName = "tfidf-logreg-v1"

// Name identifies the model and its weights: "tfidf-logreg-v1@<sha256/12>".
func (m *Model) Name() string { return modelName + "@" + m.hash }

// Info returns the training record.
func (m *Model) Info() ModelInfo { return m.info }

// Classes returns the document types the model predicts.
func (m *Model) Classes() []string { return append([]string(nil), m.classes...) }

//go:embed model.json
var embedded []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
)

// Default returns the model trained by `go generate ./internal/classifier`
// (embedded as model.json). It is loaded once and is deterministic.
func Default() *Model {
	defaultOnce.Do(func() {
		m, err := Load(bytesReader(embedded))
		if err != nil {
			panic(fmt.Sprintf("classify: embedded model.json: %v (run go generate ./internal/classifier)", err))
		}
		defaultModel = m
	})
	return defaultModel
}

type sparse struct {
	idx []int32
	val []float32
}

// vectorize returns the L2-normalised TF-IDF vector of a document, with
// sublinear term frequency. Unknown features are dropped.
func (m *Model) vectorize(f map[string]float64) sparse {
	var s sparse
	for k, c := range f {
		if i, ok := m.vocab[k]; ok {
			s.idx = append(s.idx, i)
			s.val = append(s.val, float32((1+math.Log(c))*float64(m.idf[i])))
		}
	}
	sort.Sort(byIdx(s)) // deterministic summation order
	s.normalise()
	return s
}

// vectorizeScratch is vectorizeTokens' working memory: a count per
// feature of the vocabulary (zero between uses), the features counted, and
// the feature name being looked up.
type vectorizeScratch struct {
	count   []float64
	touched []int32
	key     []byte
}

// vectorizeTokens is vectorize(featuresOf(body, title)) without building
// the feature strings and their map: it counts the features the vocabulary
// holds by index, looking each up by a reused buffer. The counts, values
// and their order are those of vectorize.
func (m *Model) vectorizeTokens(body, title []string) sparse {
	sc, _ := m.scratch.Get().(*vectorizeScratch)
	if sc == nil || len(sc.count) != len(m.feats) {
		sc = &vectorizeScratch{count: make([]float64, len(m.feats))}
	}
	count := func(i int32) {
		if sc.count[i] == 0 {
			sc.touched = append(sc.touched, i)
		}
		sc.count[i]++
	}
	if tx := m.tokenIndex(); tx.ok {
		// As below, by token numbers: a token no feature names (-1)
		// adds no unigram and no bigram with its neighbours.
		add := func(part int, toks []string) {
			prev, started := int32(-1), false
			for _, t := range toks {
				if isNumber(t) {
					started = false
					continue
				}
				cur, ok := tx.ids[t]
				if !ok {
					cur = -1
				}
				if cur >= 0 {
					if i := tx.uni[part][cur]; i >= 0 {
						count(i)
					}
					if started && prev >= 0 {
						if i, ok := tx.bi[part][uint64(prev)<<32|uint64(cur)]; ok {
							count(i)
						}
					}
				}
				prev, started = cur, true
			}
		}
		add(0, body)
		add(1, title)
	} else {
		look := func() {
			if i, ok := m.vocab[string(sc.key)]; ok {
				count(i)
			}
		}
		add := func(prefix string, toks []string) {
			prev := ""
			for _, t := range toks {
				if isNumber(t) {
					prev = ""
					continue
				}
				sc.key = append(append(append(sc.key[:0], prefix...), "u:"...), t...)
				look()
				if prev != "" {
					sc.key = append(append(append(append(append(sc.key[:0], prefix...), "b:"...), prev...), '_'), t...)
					look()
				}
				prev = t
			}
		}
		add("", body)
		add("t", title)
	}
	slices.Sort(sc.touched)
	s := sparse{idx: make([]int32, len(sc.touched)), val: make([]float32, len(sc.touched))}
	for j, i := range sc.touched {
		s.idx[j] = i
		s.val[j] = float32((1 + math.Log(sc.count[i])) * float64(m.idf[i]))
		sc.count[i] = 0
	}
	sc.touched = sc.touched[:0]
	m.scratch.Put(sc)
	s.normalise()
	return s
}

// normalise scales s to unit length (a zero vector stays zero).
func (s sparse) normalise() {
	var norm float64
	for _, v := range s.val {
		norm += float64(v) * float64(v)
	}
	if norm > 0 {
		n := float32(math.Sqrt(norm))
		for i := range s.val {
			s.val[i] /= n
		}
	}
}

type byIdx sparse

func (b byIdx) Len() int           { return len(b.idx) }
func (b byIdx) Less(i, j int) bool { return b.idx[i] < b.idx[j] }
func (b byIdx) Swap(i, j int) {
	b.idx[i], b.idx[j] = b.idx[j], b.idx[i]
	b.val[i], b.val[j] = b.val[j], b.val[i]
}

func (m *Model) logits(x sparse, out []float64) {
	for c := range m.classes {
		z := float64(m.b[c])
		wc := m.w[c]
		for j, i := range x.idx {
			z += float64(wc[i]) * float64(x.val[j])
		}
		out[c] = z
	}
}

// logitsByFeature is logits over the weights laid out feature by feature
// (the classes of a feature side by side), which the sparse vector visits
// in order instead of striding over every class's row. Each class's sum
// takes the same terms in the same order, so the logits are the same.
func (m *Model) logitsByFeature(x sparse, out []float64) {
	wt := m.byFeature()
	nc := len(m.classes)
	for c := range out[:nc] {
		out[c] = float64(m.b[c])
	}
	for j, i := range x.idx {
		v := float64(x.val[j])
		row := wt[int(i)*nc : int(i)*nc+nc]
		for c, w := range row {
			out[c] += float64(w) * v
		}
	}
}

// byFeature returns the weights as [feature*classes + class], built once:
// a model is immutable once trained or loaded.
func (m *Model) byFeature() []float32 {
	m.wtOnce.Do(func() {
		nc := len(m.classes)
		m.wt = make([]float32, len(m.feats)*nc)
		for c, wc := range m.w {
			for i, w := range wc {
				m.wt[i*nc+c] = w
			}
		}
	})
	return m.wt
}

func softmax(z []float64, t float64, out []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v/t)
	}
	var sum float64
	for i, v := range z {
		out[i] = math.Exp(v/t - mx)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
}

// predict returns calibrated class probabilities and the vector.
func (m *Model) predict(body []string, title string) ([]float64, sparse) {
	x := m.vectorizeTokens(body, foldedTokens(title))
	z := make([]float64, len(m.classes))
	m.logitsByFeature(x, z)
	p := make([]float64, len(m.classes))
	softmax(z, m.temp, p)
	return p, x
}

// TrainDoc is one training example.
type TrainDoc struct {
	Text string
	Type string
}

// TrainOptions tunes Train; the zero value gives the defaults.
type TrainOptions struct {
	Epochs int     // default 40
	Rate   float64 // initial SGD step, default 0.5
	L2     float64 // weight decay per epoch, default 1e-4
	MinDF  int     // drop features seen in fewer documents, default 2
	Seed   uint64  // shuffling seed, default 1
}

// Train fits a model on docs with plain SGD on the softmax cross-entropy.
// It is deterministic: the same docs and options give the same weights.
// The temperature is 1 until FitTemperature.
func Train(docs []TrainDoc, o TrainOptions) *Model {
	if o.Epochs == 0 {
		o.Epochs = 40
	}
	if o.Rate == 0 {
		o.Rate = 0.5
	}
	if o.L2 == 0 {
		o.L2 = 1e-4
	}
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	m := &Model{temp: 1, vocab: map[string]int32{}}
	classIdx := map[string]int{}
	for _, t := range Taxonomy {
		classIdx[t.Type] = len(m.classes)
		m.classes = append(m.classes, t.Type)
	}
	fs := make([]map[string]float64, len(docs))
	df := map[string]int{}
	for i, d := range docs {
		fs[i] = features(d.Text, TitleLine(d.Text))
		for k := range fs[i] {
			df[k]++
		}
	}
	for k, n := range df {
		if n >= o.MinDF {
			m.feats = append(m.feats, k)
		}
	}
	sort.Strings(m.feats)
	m.idf = make([]float32, len(m.feats))
	for i, k := range m.feats {
		m.vocab[k] = int32(i)
		m.idf[i] = float32(math.Log(float64(len(docs)+1)/float64(df[k]+1)) + 1)
	}
	m.w = make([][]float32, len(m.classes))
	for c := range m.w {
		m.w[c] = make([]float32, len(m.feats))
	}
	m.b = make([]float32, len(m.classes))
	xs := make([]sparse, len(docs))
	ys := make([]int, len(docs))
	for i, d := range docs {
		xs[i] = m.vectorize(fs[i])
		y, ok := classIdx[d.Type]
		if !ok {
			y = classIdx["other"]
		}
		ys[i] = y
	}
	r := rand.New(rand.NewPCG(o.Seed, 7))
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	z := make([]float64, len(m.classes))
	p := make([]float64, len(m.classes))
	for ep := 0; ep < o.Epochs; ep++ {
		rate := o.Rate / (1 + float64(ep)*0.1)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			m.logits(xs[i], z)
			softmax(z, 1, p)
			for c := range m.classes {
				g := p[c]
				if c == ys[i] {
					g--
				}
				if g == 0 {
					continue
				}
				step := float32(rate * g)
				wc := m.w[c]
				for j, f := range xs[i].idx {
					wc[f] -= step * xs[i].val[j]
				}
				m.b[c] -= step
			}
		}
		decay := float32(1 - rate*o.L2*float64(len(docs)))
		for c := range m.w {
			for f := range m.w[c] {
				m.w[c][f] *= decay
			}
		}
	}
	m.info = ModelInfo{Description: "multinomial logistic regression (SGD) over TF-IDF of accent-folded syllable unigrams+bigrams and title-line unigrams+bigrams", TrainDocs: len(docs), Temperature: 1}
	m.rehash()
	return m
}

// FitTemperature chooses the softmax temperature that minimises the negative
// log-likelihood of docs (held out from training) and records the expected
// calibration error before and after.
func (m *Model) FitTemperature(docs []TrainDoc) {
	zs := make([][]float64, len(docs))
	ys := make([]int, len(docs))
	for i, d := range docs {
		x := m.vectorize(features(d.Text, TitleLine(d.Text)))
		zs[i] = make([]float64, len(m.classes))
		m.logits(x, zs[i])
		ys[i] = m.classIndex(d.Type)
	}
	nll := func(t float64) float64 {
		p := make([]float64, len(m.classes))
		var s float64
		for i := range zs {
			softmax(zs[i], t, p)
			s -= math.Log(math.Max(p[ys[i]], 1e-12))
		}
		return s
	}
	// With few held-out documents all classified right, the likelihood keeps
	// rising as the temperature falls to 0 (confidence 1 everywhere). Cap the
	// mean confidence at the Laplace estimate of the accuracy, (k+1)/(n+2),
	// so that the model never claims more than the held-out data supports.
	meanConf := func(t float64) (mean float64, correct int) {
		p := make([]float64, len(m.classes))
		for i := range zs {
			softmax(zs[i], t, p)
			c := argmax(p)
			mean += p[c]
			if c == ys[i] {
				correct++
			}
		}
		return mean / float64(max(len(zs), 1)), correct
	}
	best, bestT := math.Inf(1), 1.0
	for t := 0.05; t <= 5.0001; t += 0.05 {
		mc, k := meanConf(t)
		if mc > float64(k+1)/float64(len(zs)+2) {
			continue
		}
		if v := nll(t); v < best {
			best, bestT = v, math.Round(t*100)/100
		}
	}
	ece := func(t float64) float64 {
		p := make([]float64, len(m.classes))
		var conf []float64
		var ok []bool
		for i := range zs {
			softmax(zs[i], t, p)
			c := argmax(p)
			conf = append(conf, p[c])
			ok = append(ok, c == ys[i])
		}
		return ECE(conf, ok, 10)
	}
	m.info.ECERaw = ece(1)
	m.temp = bestT
	m.info.ECECal = ece(bestT)
	m.info.Temperature = bestT
	m.info.CalibDocs = len(docs)
	m.rehash()
}

func (m *Model) classIndex(t string) int {
	for i, c := range m.classes {
		if c == t {
			return i
		}
	}
	return len(m.classes) - 1 // other
}

func argmax(p []float64) int {
	b := 0
	for i := range p {
		if p[i] > p[b] {
			b = i
		}
	}
	return b
}

// ECE is the expected calibration error over equal-width confidence bins.
func ECE(conf []float64, correct []bool, bins int) float64 {
	if len(conf) == 0 {
		return 0
	}
	sumC := make([]float64, bins)
	sumA := make([]float64, bins)
	n := make([]int, bins)
	for i, c := range conf {
		b := int(c * float64(bins))
		if b >= bins {
			b = bins - 1
		}
		sumC[b] += c
		if correct[i] {
			sumA[b]++
		}
		n[b]++
	}
	var e float64
	for b := range n {
		if n[b] > 0 {
			e += math.Abs(sumA[b]-sumC[b]) / float64(len(conf))
		}
	}
	return e
}

// file is the serialised form: weights below 5e-3 in magnitude are dropped
// and the rest rounded to 4 decimals, which changes no prediction of the
// labelled set (TestEmbeddedModelFresh checks the embedded file).
type file struct {
	Format   int       `json:"format"`
	Name     string    `json:"name"`
	Info     ModelInfo `json:"info"`
	Classes  []string  `json:"classes"`
	Features []string  `json:"features"`
	IDF      []float32 `json:"idf"`
	Bias     []float32 `json:"bias"`
	Weights  []classW  `json:"weights"`
}

type classW struct {
	Idx []int32   `json:"i"`
	W   []float32 `json:"w"`
}

func round4(f float32) float32 { return float32(math.Round(float64(f)*1e4) / 1e4) }

func (m *Model) toFile() file {
	f := file{Format: 1, Name: modelName, Info: m.info, Classes: m.classes, Features: m.feats}
	for _, v := range m.idf {
		f.IDF = append(f.IDF, round4(v))
	}
	for _, v := range m.b {
		f.Bias = append(f.Bias, round4(v))
	}
	for _, wc := range m.w {
		var cw classW
		for i, v := range wc {
			if r := round4(v); math.Abs(float64(r)) >= 5e-3 {
				cw.Idx = append(cw.Idx, int32(i))
				cw.W = append(cw.W, r)
			}
		}
		f.Weights = append(f.Weights, cw)
	}
	return f
}

// Save writes the model as JSON. Loading it back gives a model that predicts
// like this one up to the rounding of the weights.
func (m *Model) Save(w io.Writer) error {
	b, err := json.Marshal(m.toFile())
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	var f file
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if f.Format != 1 || f.Name != modelName {
		return nil, fmt.Errorf("model format %d %q, want 1 %q", f.Format, f.Name, modelName)
	}
	if len(f.IDF) != len(f.Features) || len(f.Bias) != len(f.Classes) || len(f.Weights) != len(f.Classes) {
		return nil, fmt.Errorf("model: inconsistent dimensions")
	}
	m := &Model{classes: f.Classes, feats: f.Features, idf: f.IDF, b: f.Bias, temp: f.Info.Temperature, info: f.Info, vocab: make(map[string]int32, len(f.Features))}
	if m.temp <= 0 {
		return nil, fmt.Errorf("model: temperature %v", m.temp)
	}
	for i, k := range f.Features {
		m.vocab[k] = int32(i)
	}
	m.w = make([][]float32, len(f.Classes))
	for c, cw := range f.Weights {
		m.w[c] = make([]float32, len(f.Features))
		if len(cw.Idx) != len(cw.W) {
			return nil, fmt.Errorf("model: class %d weights", c)
		}
		for j, i := range cw.Idx {
			if int(i) < 0 || int(i) >= len(f.Features) {
				return nil, fmt.Errorf("model: feature index %d out of range", i)
			}
			m.w[c][i] = cw.W[j]
		}
	}
	m.rehash()
	return m, nil
}

// rehash sets the model's identity from its serialised weights.
func (m *Model) rehash() {
	b, _ := json.Marshal(m.toFile())
	s := sha256.Sum256(b)
	m.hash = hex.EncodeToString(s[:])[:12]
}
