package classifier

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/hoso-vn/hoso/data/forms"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// vectorizeTokens gives vectorize(featuresOf(…))'s vector exactly, on every
// blank form of data/forms, whole and as its title area alone.
func TestVectorizeTokensAsFeatures(t *testing.T) {
	t.Parallel()
	m := Default()
	if !m.tokenIndex().ok {
		t.Fatal("the embedded model's features do not all index by token")
	}
	ents, _ := fs.ReadDir(forms.Files, ".")
	if len(ents) == 0 {
		t.Fatal("no forms")
	}
	for _, e := range ents {
		b, err := forms.Files.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		text := vntext.NFC(string(b))
		for _, s := range []string{text, headText(text), ""} {
			body, title := foldedTokens(prefix(s, maxText)), foldedTokens(TitleLine(s))
			want := m.vectorize(featuresOf(body, title))
			got := m.vectorizeTokens(body, title)
			if len(want.idx) == 0 && len(got.idx) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: vectorizeTokens differs from vectorize(featuresOf)", e.Name())
			}
		}
	}
}
