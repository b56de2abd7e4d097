package regulation

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/jackc/pgx/v5"
)

// A law or decree names what it replaces in its article on entry into force
// ("Luật Đất đai số 45/2013/QH13 … hết hiệu lực kể từ ngày Luật này có hiệu
// lực thi hành"). The registry does not record every replacement (it knows
// 62/2021/NĐ-CP → 154/2024/NĐ-CP, not Luật Đất đai 2013 → 2024), so the
// index reads them from the texts themselves.
var (
	replacedSentence = regexp.MustCompile(`hết hiệu lực(?: thi hành)? (?:kể )?từ ngày (?:Bộ luật|Luật|Nghị định|Nghị quyết) này có hiệu lực`)
	replacedAlias    = regexp.MustCompile(`\(sau đây gọi(?: chung)? là [^()]*?số\s+(\d+/\d{4}/[A-ZĐ0-9-]+)\)`)
	replacedFirst    = regexp.MustCompile(`số\s+(\d+/\d{4}/[A-ZĐ0-9-]+)`)
	sentenceSplit    = regexp.MustCompile(`[.;]\s+|\n`)
)

// Replacement is one document a text declares expired when it takes effect.
type Replacement struct {
	Replaced, By string
	On           time.Time
}

// replacementsIn returns the numbers that sentences of an entry-into-force
// text declare expired "from the day this law takes effect". A sentence
// about a part of a text ("Khoản 1 Điều 46 của Luật …") is not a
// replacement of the whole.
func replacementsIn(text, self string) []string {
	var out []string
	for _, s := range sentenceSplit.Split(text, -1) {
		s = strings.TrimSpace(s)
		if !replacedSentence.MatchString(s) {
			continue
		}
		if strings.HasPrefix(s, "Khoản") || strings.HasPrefix(s, "Điều") || strings.HasPrefix(s, "Điểm") {
			continue
		}
		var n string
		if m := replacedAlias.FindStringSubmatch(s); m != nil {
			n = m[1]
		} else if m := replacedFirst.FindStringSubmatch(s); m != nil {
			n = m[1]
		}
		if n = legalnum.Normalize(n); n != "" && n != self {
			out = append(out, n)
		}
	}
	return out
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
