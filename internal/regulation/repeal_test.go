package regulation

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func TestRepealedArticlesIn(t *testing.T) {
	for _, c := range []struct {
		name, text string
		all        bool
		want       map[string][]int
	}{
		{"RangeAndPointOfAnother", `1. Nghị định này có hiệu lực từ ngày 01 tháng 01 năm 2016.
2. Bãi bỏ các văn bản quy phạm pháp luật và các điều khoản sau đây:
b) Nghị định số 158/2005/NĐ-CP ngày 27 tháng 12 năm 2005 của Chính phủ về đăng ký và quản lý hộ tịch;
c) Điều 1 và Điều 3 của Nghị định số 06/2012/NĐ-CP ngày 02/02/2012 của Chính phủ sửa đổi;
d) Các điều 3, 5 và 44 của Nghị định số 24/2013/NĐ-CP ngày 28 tháng 03 năm 2013;
đ) Từ Mục 1 đến Mục 6 Chương III gồm các điều từ Điều 19 đến Điều 22 và điểm a khoản 1 Điều 63 của Nghị định số 126/2014/NĐ-CP ngày 31 tháng 12 năm 2014.
3. Sửa đổi khoản 2 Điều 63 của Nghị định số 126/2014/NĐ-CP như sau:`, false,
			map[string][]int{"06/2012/NĐ-CP": {1, 3}, "24/2013/NĐ-CP": {3, 5, 44}, "126/2014/NĐ-CP": {19, 20, 21, 22}}},
		{"InlineSentence", `4. Bãi bỏ Điều 58 và Điều 59 của Luật Công nghệ thông tin số 67/2006/QH11 đã được sửa đổi, bổ sung một số điều theo Luật số 21/2017/QH14.`, false,
			map[string][]int{"67/2006/QH11": {58, 59}}},
		{"ClauseOnly", `Bãi bỏ khoản 3 Điều 7 của Thông tư số 01/2022/TT-BTP.`, false, map[string][]int{}},
		{"NoRepeal", `Điều 5 của Nghị định số 06/2012/NĐ-CP được sửa đổi như sau:`, false, nil},
		{"ConsolidationNote", `[9] Điều này được bãi bỏ theo quy định tại Điều 2 của Luật Dữ liệu số 60/2024/QH15, có hiệu lực kể từ ngày 01 tháng 7 năm 2025.`, false, nil},
		{"HeadedArticle", `1. Điều 12 của Thông tư số 04/2020/TT-BTP.`, true, map[string][]int{"04/2020/TT-BTP": {12}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := repealedArticlesIn(c.text, "123/2015/NĐ-CP", c.all)
			if len(got) == 0 && len(c.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestSearchLeavesOutRepealedArticles: a decree that repeals some articles
// of another (which stays in force) hides those articles from the search
// once it takes effect, and not before.
func TestSearchLeavesOutRepealedArticles(t *testing.T) {
	pool, _ := postgrestest.New(t)
	s := NewStore(pool, embedding.NewHashing())
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Nghị định 10-2014-NĐ-CP Quy định về nuôi chim cảnh.txt", `CHÍNH PHỦ
Số: 10/2014/NĐ-CP
NGHỊ ĐỊNH
QUY ĐỊNH VỀ NUÔI CHIM CẢNH
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về nuôi chim cảnh trong khu dân cư.
Điều 2. Đăng ký nuôi chim họa mi
Người nuôi chim họa mi phải đăng ký với Ủy ban nhân dân cấp xã.
Điều 3. Hiệu lực thi hành
Nghị định này có hiệu lực thi hành từ ngày 01 tháng 02 năm 2014.
`)
	write("Nghị định 20-2016-NĐ-CP Quy định về chim cảnh.txt", `CHÍNH PHỦ
Số: 20/2016/NĐ-CP
NGHỊ ĐỊNH
QUY ĐỊNH VỀ CHIM CẢNH
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về chim cảnh nuôi trong nhà.
Điều 2. Hiệu lực thi hành
1. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2016.
2. Bãi bỏ Điều 2 của Nghị định số 10/2014/NĐ-CP ngày 05 tháng 01 năm 2014 của Chính phủ quy định về nuôi chim cảnh.
`)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	found := func(on string) bool {
		t.Helper()
		for _, mode := range []string{ModeHybrid, ModeLexical, ModeVector} {
			hits, err := s.Search(ctx, Query{Text: "đăng ký nuôi chim họa mi", K: 10, Mode: mode, InForceOn: mustDate(on)})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				if h.Document == "10/2014/NĐ-CP" && h.Article == 2 {
					return true
				}
			}
		}
		return false
	}
	if !found("2015-06-01") {
		t.Error("Điều 2 of 10/2014/NĐ-CP not found before its repeal")
	}
	if found("2016-06-01") {
		t.Error("Điều 2 of 10/2014/NĐ-CP found after 20/2016/NĐ-CP repealed it")
	}
	hits, err := s.Search(ctx, Query{Text: "phạm vi điều chỉnh nuôi chim cảnh khu dân cư", K: 10, InForceOn: mustDate("2016-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].Document != "10/2014/NĐ-CP" || hits[0].Article != 1 {
		t.Errorf("the articles not repealed should stay: top hit %+v", hits)
	}
}
