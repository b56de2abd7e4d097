package regulation

import (
	"context"
	"fmt"
	"math"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/legalnum"
)

// Question is one evaluation question with its known answer articles.
type Question struct {
	ID       string   `yaml:"id" json:"id"`
	Domain   string   `yaml:"domain,omitempty" json:"domain,omitempty"`
	Split    string   `yaml:"split,omitempty" json:"split,omitempty"` // dev | test (evals/everyday)
	Question string   `yaml:"question" json:"question"`
	Answers  []Answer `yaml:"answers" json:"answers"`
}

// Answer is an article that answers a question.
type Answer struct {
	Document string `yaml:"document" json:"document"`
	Article  int    `yaml:"article" json:"article"`
	Clause   *int   `yaml:"clause,omitempty" json:"clause,omitempty"`
}

// LoadQuestions reads an evaluation file (evals/regulation/questions.yaml).
func LoadQuestions(path string) ([]Question, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Questions []Question `yaml:"questions"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	for i, q := range f.Questions {
		if q.Question == "" || len(q.Answers) == 0 {
			return nil, fmt.Errorf("%s: question %d (%s) has no text or no answer", path, i+1, q.ID)
		}
		for j, a := range q.Answers {
			f.Questions[i].Answers[j].Document = legalnum.Normalize(a.Document)
		}
	}
	return f.Questions, nil
}

// RetrievalReport is the quality of one retrieval mode on a question set.
// A question is answered at k when one of its answer articles is among the
// first k distinct articles returned; nDCG@10 counts every answer article
// found (binary gain) against the ideal ordering.
type RetrievalReport struct {
	Mode       string       `json:"mode"`
	Questions  int          `json:"questions"`
	RecallAt1  float64      `json:"recall_at_1"`
	RecallAt5  float64      `json:"recall_at_5"`
	RecallAt10 float64      `json:"recall_at_10"`
	NDCGAt10   float64      `json:"ndcg_at_10"`
	Misses     []EvalResult `json:"misses,omitempty"` // questions not answered in the top 10
}

// EvalResult is one question's outcome.
type EvalResult struct {
	ID   string   `json:"id"`
	Rank int      `json:"rank"` // of the first answer article; 0 = not in the top 10
	Top  []string `json:"top"`  // first articles returned, "60/2014/QH13 Điều 16"
}

// EvaluateRetrieval runs every question through s.Search in mode
// (hybrid, lexical or vector) and reports recall@1/5/10 and nDCG@10 at
// article level.
func EvaluateRetrieval(ctx context.Context, s *Store, qs []Question, mode string) (RetrievalReport, error) {
	rep := RetrievalReport{Mode: mode, Questions: len(qs)}
	if len(qs) == 0 {
		return rep, nil
	}
	var r1, r5, r10, ndcg float64
	for _, q := range qs {
		hits, err := s.Search(ctx, Query{Text: q.Question, K: 40, Mode: mode})
		if err != nil {
			return rep, fmt.Errorf("question %s: %w", q.ID, err)
		}
		want := map[string]bool{}
		for _, a := range q.Answers {
			want[fmt.Sprintf("%s Điều %d", a.Document, a.Article)] = true
		}
		var arts []string
		seen := map[string]bool{}
		for _, h := range hits {
			k := fmt.Sprintf("%s Điều %d", h.Document, h.Article)
			if !seen[k] {
				seen[k] = true
				arts = append(arts, k)
			}
			if len(arts) == 10 {
				break
			}
		}
		rank := 0
		var dcg float64
		for i, a := range arts {
			if want[a] {
				if rank == 0 {
					rank = i + 1
				}
				dcg += 1 / math.Log2(float64(i+2))
			}
		}
		var idcg float64
		for i := 0; i < len(want) && i < 10; i++ {
			idcg += 1 / math.Log2(float64(i+2))
		}
		ndcg += dcg / idcg
		if rank == 1 {
			r1++
		}
		if rank >= 1 && rank <= 5 {
			r5++
		}
		if rank >= 1 {
			r10++
		} else {
			top := arts
			if len(top) > 3 {
				top = top[:3]
			}
			rep.Misses = append(rep.Misses, EvalResult{ID: q.ID, Top: top})
		}
	}
	n := float64(len(qs))
	rep.RecallAt1, rep.RecallAt5, rep.RecallAt10, rep.NDCGAt10 = r1/n, r5/n, r10/n, ndcg/n
	return rep, nil
}
