package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// slowCleanJSON is cleanJSON without its fast path.
func slowCleanJSON(v any) []byte {
	b, _ := json.Marshal(v)
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&tree)
	out, _ := json.Marshal(cleanValue(tree))
	return out
}

// TestCleanJSONFastPath: the fast path accepts only values that cleaning
// leaves as they are, so cleanJSON stores the same JSON value either way.
func TestCleanJSONFastPath(t *testing.T) {
	for _, tc := range []struct {
		v     any
		clean bool
	}{
		{map[string]any{"a": "Cộng hòa xã hội chủ nghĩa Việt Nam", "n": 1.5, "big": json.Number("12345678901234567890")}, true},
		{[]string{"dòng 1\ndòng 2\tcột", `dấu "ngoặc" \ gạch`, "<b>&</b>", "\u2028"}, true},
		{[]string{"ok", "nul\x00here"}, false},
		{[]string{"cr\r\nlf"}, false},
		{[]string{"bell\a"}, false},
		{[]string{"form\ffeed", "back\bspace"}, false},
		{[]string{"del\x7f"}, false},
		{[]string{"c1\u0085"}, false},
		{[]string{"bad \xff utf8"}, true}, // Marshal writes U+FFFD, as Clean does
		{map[string]any{"ke\x00y": "v"}, false},
		{[]string{"Hoa\u0300 decomposed"}, false}, // not NFC
		{[]string{"\u0300 leading mark"}, true},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if got := cleanEncoded(b); got != tc.clean {
			t.Errorf("cleanEncoded(%s) = %v, want %v", b, got, tc.clean)
		}
		fast, err := cleanJSON(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var a, c any
		if err := json.Unmarshal(fast, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(slowCleanJSON(tc.v), &c); err != nil {
			t.Fatal(err)
		}
		ab, _ := json.Marshal(a)
		cb, _ := json.Marshal(c)
		if !bytes.Equal(ab, cb) {
			t.Errorf("cleanJSON(%#v) = %s, slow path %s", tc.v, ab, cb)
		}
	}
}
