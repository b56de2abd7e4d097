package classifier

import (
	"reflect"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// The cached index of a requirement list is the one built afresh from it,
// and a list changed in place after a call gets a new one.
func TestReqIndexCache(t *testing.T) {
	form := "Mẫu CT01"
	reqs := []catalog.Requirement{
		{Key: "to-khai", Name: "Tờ khai thay đổi thông tin cư trú", Form: &form},
		{Key: "giay-to", Name: "Giấy tờ chứng minh chỗ ở hợp pháp", Alternatives: []string{"Giấy phép xây dựng"}},
	}
	a := reqIndexFor(reqs)
	if b := reqIndexFor(reqs); a != b {
		t.Fatal("the same list built twice")
	}
	if !reflect.DeepEqual(a, newReqIndex(reqs)) {
		t.Fatal("cached index differs from a fresh one")
	}
	reqs[1].Alternatives[0] = "Hợp đồng thuê nhà"
	b := reqIndexFor(reqs)
	if a == b || !reflect.DeepEqual(b, newReqIndex(reqs)) {
		t.Fatal("a list changed in place got the stale index")
	}
	if a.freqs[1].other[0] != "giay phep xay dung" {
		t.Fatalf("the cached index changed with its caller's list: %q", a.freqs[1].other)
	}
}
