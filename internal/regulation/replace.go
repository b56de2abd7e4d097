package regulation

import (
	"regexp"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/legalnum"
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
