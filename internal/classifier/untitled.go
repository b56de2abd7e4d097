package classifier

import "strings"

// WithoutTitle is a document as a classifier sees it when its title is
// lost (a cut scan, a form filled in without its heading): among the first
// eight lines, those that hold no "label:" (the national motto, the title,
// its subtitle) are dropped. The unseen-procedure evals and the pinned
// outputs test the classifier on both versions of each form.
func WithoutTitle(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	for i, l := range lines {
		if i < 8 && !strings.ContainsAny(l, ":：") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
