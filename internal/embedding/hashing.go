// Package embedding provides hoso's local, deterministic text embedder: no
// network, no model file, the same vector for the same text on every machine.
// It is the default when no OpenAI-compatible embeddings endpoint is
// configured; any type with the same method set (Embed, Dimension, Name) can
// replace it.
package embedding

import (
	"context"
	"hash/fnv"
	"math"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// HashingName is the Name of the default Hashing embedder. The version
// suffix changes whenever the features change, so that stored vectors of an
// older scheme are never compared with new query vectors.
const HashingName = "local-hashing-uni-bi-char3-v1"

// DefaultDimension is the dimension of the default Hashing embedder.
const DefaultDimension = 384

// Hashing is a feature-hashing embedder ("hashing trick") for Vietnamese.
// Each text becomes a sparse bag of features hashed into Dim signed buckets
// and L2-normalised, so cosine similarity is a weighted feature overlap:
//
//   - word features: NFC lower-case syllable unigrams (weight 1) and
//     syllable bigrams (weight 1.5, since Vietnamese words are mostly
//     two-syllable compounds such as "khai sinh", "thường trú");
//   - accent-folded character trigrams of each syllable ("#kha", "kha",
//     "hai", "ai#"; weight 0.35 in total per syllable), which make the vector
//     robust to missing diacritics in queries and to OCR errors
//     ("quần lý" ~ "quản lý");
//   - sublinear term frequency (1 + ln tf) and a down-weight for function
//     words, because the hashing trick has no corpus statistics (no IDF).
//
// It captures no synonymy: words never seen together are orthogonal. It is
// the honest baseline that lexical search is fused with; an OpenAI-compatible
// embeddings endpoint replaces it when configured.
type Hashing struct {
	Dim int
}

// NewHashing returns the default Hashing embedder (384 dimensions).
func NewHashing() *Hashing { return &Hashing{Dim: DefaultDimension} }

// Name identifies the model and its dimension; it is stored with every vector.
func (h *Hashing) Name() string {
	if h.Dim == DefaultDimension {
		return HashingName
	}
	return HashingName + "-" + itoa(h.Dim)
}

// Dimension returns the vector length.
func (h *Hashing) Dimension() int { return h.Dim }

// Embed returns one unit vector per text (a zero vector for a text without
// any letter or digit). It never fails except on a cancelled context; it is
// safe for concurrent use.
func (h *Hashing) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = h.embed(t)
	}
	return out, nil
}

func (h *Hashing) embed(text string) []float32 {
	toks := vntext.Tokens(text)
	feats := make(map[string]float64, len(toks)*6)
	for i, t := range toks {
		w := 1.0
		if Stopword(t) {
			w = 0.2
		}
		feats["u:"+t] += w
		if i+1 < len(toks) {
			bw := 1.5
			if Stopword(t) && Stopword(toks[i+1]) {
				bw = 0.2
			}
			feats["b:"+t+" "+toks[i+1]] += bw
		}
		f := "#" + vntext.Fold(t) + "#"
		rs := []rune(f)
		if len(rs) >= 3 {
			cw := 0.35 * w / float64(len(rs)-2)
			for j := 0; j+3 <= len(rs); j++ {
				feats["c:"+string(rs[j:j+3])] += cw
			}
		}
	}
	v := make([]float64, h.Dim)
	for f, tf := range feats {
		hs := fnv.New64a()
		hs.Write([]byte(f))
		x := hs.Sum64()
		idx := int(x % uint64(h.Dim))
		sign := 1.0
		if x>>63 == 1 {
			sign = -1
		}
		// Sublinear tf keeps a word repeated ten times in a long article
		// from dominating its vector.
		v[idx] += sign * sublinear(tf)
	}
	return unit(v)
}

// unit returns v scaled to length 1 as float32 (all zeros stays zeros):
// every local embedder's vectors are compared by cosine in pgvector.
func unit(v []float64) []float32 {
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, len(v))
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// sublinear is 1+ln(tf), kept linear below one where fractional weights
// (function words, character trigrams) would otherwise turn negative.
func sublinear(tf float64) float64 {
	if tf < 1 {
		return tf
	}
	return 1 + math.Log(tf)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// stopwords are Vietnamese function syllables (and everyday question words)
// that carry little meaning on their own.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`và của các cho có được là thì mà những này đó khi để với theo tại trong
		từ về một hoặc như sau do đã sẽ đang nếu không phải gì nào ai bao nhiêu tôi mình em anh chị
		chúng ta họ bạn muốn cần làm sao thế vậy ạ nhé ở ra vào lên đến trên dưới hay cũng rồi nữa
		bị bởi vì nên đây kia ấy nhưng còn hơn rất lại đi việc`) {
		m[w] = true
	}
	return m
}()

// Stopword reports whether the NFC lower-case syllable w is a function
// word that the embedder and the lexical ranker down-weight.
func Stopword(w string) bool { return stopwords[w] }
