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

// A text also repeals parts of others, in its article on entry into force
// or one of its own ("Bãi bỏ các văn bản quy phạm pháp luật và các điều
// khoản sau đây: … đ) Từ Mục 1 đến Mục 6 Chương III gồm các điều từ Điều 19
// đến Điều 50 và điểm a khoản 1 Điều 63 của Nghị định số 126/2014/NĐ-CP").
// The registry knows such a document as in force (it is, in part), so the
// repealed articles are read from the repealing texts, like replacements.
var (
	repealWord = regexp.MustCompile(`(?i)bãi bỏ`)
	// repealItem splits a repeal list into its items: sentences and the
	// list's points ("a) …; b) …").
	repealItem  = regexp.MustCompile(`[.;:]\s+|\n|\s[a-zđ]\)\s`)
	repealRange = regexp.MustCompile(`(?i)(?:các\s+)?điều\s+từ\s+Điều\s+(\d+)\s+đến\s+(?:hết\s+)?Điều\s+(\d+)`)
	repealList  = regexp.MustCompile(`(?i)các\s+điều\s+(\d+(?:\s*,\s*\d+)*(?:\s*và\s*\d+)?)\b`)
	repealOne   = regexp.MustCompile(`(?:^|[^\p{L}])(Khoản\s+\d+\s+|khoản\s+\d+\s+|Điểm\s+\S+\s+|điểm\s+\S+\s+)?Điều\s+(\d+)\b`)
	repealOf    = regexp.MustCompile(`(?:^|\s)của\s+(?:Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh)\s[^;]*?số\s+(\d+/\d{4}/[A-ZĐ0-9-]+)`)
	numberList  = regexp.MustCompile(`\d+`)
)

// ArticleRepeal is a set of articles of one document that a text repeals
// when it takes effect.
type ArticleRepeal struct {
	Document string
	Articles []int
	By       string
	On       time.Time
}

// repealedArticlesIn returns, per document number, the whole articles that
// the repeal sentences of text name: "Điều 58 và Điều 59 của Luật …",
// "các điều 3, 5 và 44 của Nghị định …", "các điều từ Điều 19 đến Điều 50
// … của Nghị định …". A clause or point of an article ("điểm a khoản 1
// Điều 63") leaves the article in force. all says the whole text is a
// repeal (an article headed "Bãi bỏ …"); otherwise only what follows
// "bãi bỏ" in the text counts.
func repealedArticlesIn(text, self string, all bool) map[string][]int {
	if !all {
		// The first active "bãi bỏ": a consolidated text's notes say
		// "Điều này được bãi bỏ theo quy định tại Điều 44 của Luật …",
		// which names the repealing article, not a repealed one.
		start := -1
		for _, loc := range repealWord.FindAllStringIndex(text, -1) {
			before := strings.TrimSpace(text[:loc[0]])
			if strings.HasSuffix(before, "được") || strings.HasSuffix(before, "bị") || strings.HasPrefix(strings.TrimSpace(text[loc[1]:]), "theo") {
				continue
			}
			start = loc[1]
			break
		}
		if start < 0 {
			return nil
		}
		text = text[start:]
	}
	out := map[string][]int{}
	for _, item := range repealItem.Split(text, -1) {
		m := repealOf.FindStringSubmatchIndex(item)
		if m == nil || strings.Contains(item, "theo quy định tại") || strings.Contains(item, "được bãi bỏ") {
			continue
		}
		n := legalnum.Normalize(item[m[2]:m[3]])
		if n == "" || n == self {
			continue
		}
		refs := item[:m[0]] // the articles come before "của <document>"
		var arts []int
		for _, r := range repealRange.FindAllStringSubmatch(refs, -1) {
			a, b := atoi(r[1]), atoi(r[2])
			if a > 0 && b >= a && b-a < 400 {
				for i := a; i <= b; i++ {
					arts = append(arts, i)
				}
			}
		}
		refs = repealRange.ReplaceAllString(refs, " ")
		for _, r := range repealList.FindAllStringSubmatch(refs, -1) {
			for _, x := range numberList.FindAllString(r[1], -1) {
				arts = append(arts, atoi(x))
			}
		}
		refs = repealList.ReplaceAllString(refs, " ")
		for _, r := range repealOne.FindAllStringSubmatch(refs, -1) {
			if r[1] != "" {
				continue // a clause or point of the article, not all of it
			}
			arts = append(arts, atoi(r[2]))
		}
		for _, a := range arts {
			if a > 0 {
				out[n] = append(out[n], a)
			}
		}
	}
	for n, as := range out {
		out[n] = uniqInts(as)
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1e6 {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func uniqInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
