package catalog

import (
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"sort"
	"testing"
)

var mergeRE = regexp.MustCompile(`(?:, |; | và |\. )(Giấy|Văn bản|Bản sao|Bản chính|Tờ khai|Đơn|Quyết định|Hợp đồng|Biên bản|Báo cáo|Danh sách|Phiếu|Chứng chỉ|Sổ|Thẻ|Hộ chiếu|Bảng|Bản khai|Bản kê|Đề án|Phương án|Kế hoạch|Tài liệu|Các giấy|giấy|văn bản|bản sao|tờ khai|đơn đề nghị|quyết định|hợp đồng|biên bản|báo cáo|danh sách|phiếu|chứng chỉ|sổ|hộ chiếu|bảng kê|bản khai)\b`)

func TestScratchMerged(t *testing.T) {
	_, gold := goldLabels(t)
	got, err := ParseNationalFile(nationalFile(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for c, p := range got {
		if gold[c] != "" {
			continue
		}
		for _, r := range p.Requirements {
			if m := mergeRE.FindStringIndex(r.Name); m != nil {
				hits = append(hits, fmt.Sprintf("%s | %.260s", c, r.Name))
			}
		}
	}
	sort.Strings(hits)
	rand.New(rand.NewSource(23)).Shuffle(len(hits), func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
	fmt.Fprintln(os.Stderr, len(hits))
	for _, h := range hits[:min(70, len(hits))] {
		fmt.Fprintln(os.Stderr, h)
	}
}
