package regulation

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestArticleCounts checks that splitting follows each document's own
// numbering. The consolidated NĐ 123/2015 (401/VBHN-BTP) has 45 numbered
// articles plus 28a, 28b and 28c inserted by amendments: 48 units. (A
// naive count of lines starting "Điều N" gives 53 because the
// consolidation footnotes quote articles of the amending decrees.)
func TestArticleCounts(t *testing.T) {
	t.Parallel()
	repo := filepath.Join(repoRoot(), "data", "legal")
	cases := []struct {
		name, file, number string
		articles, last     int
	}{
		{"LuatCuTru2020", "laws-underthesea-vlc/Luat-68-2020-QH14-cu-tru-435315.txt", "68/2020/QH14", 38, 38},
		{"LuatCuTru2020Consolidated", "legal-texts-rightly/laws/06-VBHN-VPQH 2026 Luật Cư trú.txt", "68/2020/QH14", 38, 38},
		{"LuatHoTich2014", "laws-underthesea-vlc/Luat-Ho-tich-2014-259727.txt", "60/2014/QH13", 77, 77},
		{"ND123Consolidated", "legal-texts-rightly/decrees/401-VBHN-BTP 2026 Nghị định Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch.txt", "123/2015/NĐ-CP", 48, 45},
		{"LuatXayDungConsolidatedSkipsRepealedChapter", "legal-texts-rightly/laws/154-VBHN-VPQH 2025 Luật Xây dựng.txt", "50/2014/QH13", 134, 168},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, err := ParseFile(filepath.Join(repo, c.file), Registry{})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 {
				t.Fatalf("%d documents", len(docs))
			}
			d := docs[0]
			if d.Number != c.number {
				t.Errorf("number %q, want %q", d.Number, c.number)
			}
			if len(d.Articles) != c.articles || d.Articles[len(d.Articles)-1].Number != c.last {
				t.Errorf("%d articles ending at %d, want %d ending at %d", len(d.Articles), d.Articles[len(d.Articles)-1].Number, c.articles, c.last)
			}
		})
	}
	t.Run("LuatDoanhNghiep2020", func(t *testing.T) {
		d := sharedData(t)
		docs, err := ParseFile(filepath.Join(d, "laws-underthesea-vlc", "Luat-Doanh-nghiep-so-59-2020-QH14-427301.txt"), Registry{})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0].Number != "59/2020/QH14" || len(docs[0].Articles) != 218 {
			t.Fatalf("got %d docs, %s with %d articles; want 59/2020/QH14 with 218", len(docs), docs[0].Number, len(docs[0].Articles))
		}
	})
}

func TestParseStructure(t *testing.T) {
	t.Parallel()
	docs, err := ParseFile(filepath.Join(repoRoot(), "data", "legal", "laws-underthesea-vlc", "Luat-Ho-tich-2014-259727.txt"), Registry{})
	if err != nil {
		t.Fatal(err)
	}
	a := docs[0].Articles[15]
	if a.Number != 16 || a.Title != "Thủ tục đăng ký khai sinh" || len(a.Clauses) != 3 {
		t.Fatalf("Điều 16 = %d %q with %d clauses", a.Number, a.Title, len(a.Clauses))
	}
	if a.Chapter == "" {
		t.Errorf("Điều 16 has no chapter")
	}
	// Điều 4 (Giải thích từ ngữ) has numbered definitions; Điều 3 khoản 1 has points a–i.
	c := docs[0].Articles[2].Clauses[0]
	if len(c.Points) < 5 || c.Points[0].Label != "a" {
		t.Errorf("Điều 3 khoản 1 points = %+v", c.Points)
	}
}

// TestParseOCR: noisy OCR text with headings glued into running lines
// still splits into most of its articles.
func TestParseOCR(t *testing.T) {
	t.Parallel()
	d := sharedData(t)
	cases := []struct {
		file   string
		number string
		min    int
	}{
		{"luat60_2014.md", "60/2014/QH13", 70},  // 77 articles
		{"nd123_2015.md", "123/2015/NĐ-CP", 40}, // 45 articles
		{"nd154_2024.md", "154/2024/NĐ-CP", 14}, // 16 articles
	}
	for _, c := range cases {
		docs, err := ParseFile(filepath.Join(d, "legal-texts-rightly", "ocr-official-pdfs", c.file), Registry{})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0].Number != c.number || len(docs[0].Articles) < c.min {
			t.Errorf("%s: %d docs; number %q, %d articles; want %s with ≥ %d", c.file, len(docs), docs[0].Number, len(docs[0].Articles), c.number, c.min)
		}
		if docs[0].SourceKind != SourceOCR {
			t.Errorf("%s: source kind %q", c.file, docs[0].SourceKind)
		}
	}
}

func TestImportSharedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole shared corpus (~3 min: every vector goes through the HNSW index); skipped under -short")
	}
	d := sharedData(t)
	pool, _ := postgrestest.New(t)
	s := NewStore(pool, embedding.NewHashing())
	ctx := context.Background()
	paths := []string{filepath.Join(d, "legal-texts-rightly"), filepath.Join(d, "laws-underthesea-vlc"), filepath.Join(d, "phapdien-excerpts-diepxuan")}
	rep, err := s.Import(ctx, paths, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failed {
		t.Errorf("not imported: %s: %s", f.Path, f.Error)
	}
	t.Logf("%d files, %d documents, %d articles, %d chunks", rep.Files, rep.Documents, rep.Articles, rep.Chunks)
	if rep.Embedded != rep.Chunks {
		t.Errorf("embedded %d of %d chunks", rep.Embedded, rep.Chunks)
	}
	var expired string
	if err := pool.QueryRow(ctx, `SELECT coalesce(effective_to::text, '') FROM regulation_documents WHERE number = '62/2021/NĐ-CP' LIMIT 1`).Scan(&expired); err != nil {
		t.Fatal(err)
	}
	if expired != "2025-01-10" {
		t.Errorf("NĐ 62/2021 expired on %q, want 2025-01-10 (law_status.json)", expired)
	}
	hits, err := s.Search(ctx, Query{Text: "hồ sơ đăng ký thường trú", K: 20, InForceOn: mustDate("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Document == "62/2021/NĐ-CP" || h.Document == "03/2026/QH16" {
			t.Errorf("%s is not in force on 2026-01-01 but was returned", h.Document)
		}
	}
	again, err := s.Import(ctx, paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Documents != 0 || again.Embedded != 0 {
		t.Errorf("re-import added %d documents, %d vectors", again.Documents, again.Embedded)
	}
}

// TestParsePhapDienGluedHeading: the site glues many headings to the
// previous article's last sentence; the article must keep its clauses
// rather than fall back to the one-line listing of it further down.
func TestParsePhapDienGluedHeading(t *testing.T) {
	t.Parallel()
	raw := "Điều 12.1.NĐ.10.11. Giấy tờ pháp lý của cá nhân trong hồ sơ đăng ký doanh nghiệp\n\n" +
		"(Điều 11 Nghị định số 01/2021/NĐ-CP Về đăng ký doanh nghiệp ngày 04/01/2021 của Chính phủ, có hiệu lực thi hành kể từ ngày 04/01/2021)\n\n" +
		" 1. Đối với công dân Việt Nam: Thẻ căn cước công dân hoặc Hộ chiếu Việt Nam còn hiệu lực.\n\n" +
		" 2. Đối với người nước ngoài: Hộ chiếu nước ngoài còn hiệu lực.Điều 12.1.NĐ.10.12. Ủy quyền thực hiện thủ tục đăng ký doanh nghiệp\n\n" +
		"(Điều 12 Nghị định số 01/2021/NĐ-CP, có hiệu lực thi hành kể từ ngày 04/01/2021)\n\n" +
		" Người có thẩm quyền ký văn bản đề nghị đăng ký doanh nghiệp có thể ủy quyền theo quy định sau đây:\n\n" +
		" 1. Trường hợp ủy quyền cho cá nhân, kèm theo hồ sơ phải có văn bản ủy quyền cho cá nhân thực hiện thủ tục.\n\n" +
		" 2. Trường hợp ủy quyền cho tổ chức, kèm theo hồ sơ phải có bản sao hợp đồng cung cấp dịch vụ.\n\n" +
		"Điều 12.1.NĐ.10.13. Cấp đăng ký doanh nghiệp theo quy trình dự phòng 1. Cấp đăng ký doanh nghiệp theo quy trình dự phòng là việc cấp đăng ký.\n\n" +
		"Điều 12.1.NĐ.10.12. Ủy quyền thực hiện thủ tục đăng ký doanh nghiệp Người có thẩm quyền ký văn bản đề nghị đăng ký doanh nghiệp có thể ủy quyền theo quy định sau đây:\n"
	docs := parsePhapDien("x.md", raw)
	if len(docs) != 1 || docs[0].Number != "01/2021/NĐ-CP" {
		t.Fatalf("docs = %+v", docs)
	}
	arts := map[string]Article{}
	for _, a := range docs[0].Articles {
		arts[a.Label] = a
	}
	if a := arts["11"]; len(a.Clauses) != 2 || strings.Contains(a.Clauses[1].Text, "Ủy quyền") {
		t.Errorf("Điều 11 = %+v, want 2 clauses without Điều 12's text", a.Clauses)
	}
	if a := arts["12"]; len(a.Clauses) != 2 || !strings.Contains(a.Clauses[0].Text, "văn bản ủy quyền cho cá nhân") {
		t.Errorf("Điều 12 = %+v, want its 2 clauses", a)
	}
}
