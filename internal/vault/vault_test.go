package vault_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/internal/vntext"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/check"
	"github.com/hoso-vn/hoso/pipelines/suggest"
)

const mother = "079190000111" // số định danh of the applicant

var official = review.Actor{ID: "cb-tiepnhan", Agency: "ubnd-phuong-1", Roles: []string{review.RoleReviewer}}

// doc is a classified document of a seeded dossier.
type doc struct {
	reqKey, docType string
	fields          []dossier.Field
}

// seedDossier writes a dossier as the pipeline leaves it after check and
// suggest: documents extracted and classified, status prechecked.
func seedDossier(t *testing.T, pool *pgxpool.Pool, id, code string, submitted time.Time, docs ...doc) {
	t.Helper()
	ctx := context.Background()
	st := store.New(pool)
	nd := store.NewDossier{ID: id, ProcedureCode: code, ApplicantID: mother, Agency: official.Agency, SubmittedAt: submitted}
	for i := range docs {
		nd.Documents = append(nd.Documents, store.NewDocument{Filename: docs[i].docType + ".pdf", ContentType: "application/pdf", Size: 10, SHA256: id + docs[i].docType, ObjectKey: "k"})
	}
	if _, err := st.CreateDossier(ctx, nd); err != nil {
		t.Fatal(err)
	}
	var ex []store.Extraction
	var cl []store.Classification
	for i, d := range docs {
		did := store.DocumentID(id, i+1)
		ex = append(ex, store.Extraction{DocumentID: did, Status: dossier.ExtractOK, PageTexts: []string{"…"}})
		cl = append(cl, store.Classification{DocumentID: did, Type: d.reqKey, Confidence: 0.9,
			Details: map[string]any{"doc_type": d.docType}, Fields: d.fields})
	}
	if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: "seed", InputHash: "x", StartedAt: submitted}, dossier.StageDone,
		store.Effects{Extractions: ex, Classifications: cl, Status: dossier.StatusPrechecked}); err != nil {
		t.Fatal(err)
	}
}

func newCatalog(t *testing.T, pool *pgxpool.Pool) *catalog.Store {
	t.Helper()
	c := catalog.NewStore(pool)
	if _, err := c.Import(context.Background(), "../../data/procedures", nil); err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	childFields = []dossier.Field{
		{Name: "full_name", Value: "Nguyễn Minh An", Subject: "child"},
		{Name: "date_of_birth", Value: "12/03/2026", Normalized: "2026-03-12", Subject: "child"},
		{Name: "full_name", Value: "Trần Thị Bình", Subject: "mother"},
	}
	cardFields = func(id, until string) []dossier.Field {
		return []dossier.Field{
			{Name: "full_name", Value: "Trần Thị Bình", Subject: "applicant"},
			{Name: "id_number", Value: id, Normalized: id, Subject: "applicant"},
			{Name: "expiry_date", Value: until, Normalized: until},
		}
	}
)

// TestReuseAcrossProcedures: a birth dossier accepted by an official puts
// its giấy chứng sinh in the vault; the liên thông dossier (2.000986) of the
// same parent is then checked without asking for it again.
func TestReuseAcrossProcedures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	cat := newCatalog(t, pool)
	v := vault.New(pool)
	day := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)

	seedDossier(t, pool, "hs-ks-1", "1.001193", day,
		doc{"giay-chung-sinh", "giay_chung_sinh", childFields},
		doc{"to-khai-dang-ky-khai-sinh-theo-mau", "to_khai_khai_sinh", childFields},
		doc{"ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can", "cccd", cardFields(mother, "2040-01-01")})
	acc, err := v.Accept(ctx, "hs-ks-1", official, "đủ điều kiện")
	if err != nil {
		t.Fatal(err)
	}
	if len(acc.Records) != 3 {
		t.Fatalf("records %d, want 3: %+v", len(acc.Records), acc.Records)
	}
	t.Run("AcceptIsIdempotent", func(t *testing.T) {
		again, err := v.Accept(ctx, "hs-ks-1", official, "")
		if err != nil || !again.Already || len(again.Records) != 3 {
			t.Fatalf("%+v %v", again, err)
		}
	})

	seedDossier(t, pool, "hs-lt-1", "2.000986", day.AddDate(0, 0, 3),
		doc{"to-khai-tham-gia-bao-hiem-y-te-danh-sach-de-nghi", "other", nil},
		doc{"to-khai-dang-ky-khai-sinh-theo-mau-quy-dinh", "to_khai_khai_sinh", childFields})
	st := store.New(pool)
	stage := &check.Stage{Store: st, Procedures: cat, Vault: v, Registry: pipelinedef.Static{Def: mustDef(t)}}
	if _, err := stage.Run(ctx, pipelines.Input{DossierID: "hs-lt-1", Delivery: 1}); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Findings(ctx, "hs-lt-1")
	if err != nil {
		t.Fatal(err)
	}
	var reused *dossier.Finding
	for i, f := range fs {
		if f.Key == "req:giay-chung-sinh-do-co-so-y-te-noi-tre-em-sinh-ra" {
			reused = &fs[i]
		}
	}
	if reused == nil || reused.Status != dossier.FindingSatisfiedByReuse {
		t.Fatalf("giấy chứng sinh finding %+v, want satisfied_by_reuse", reused)
	}
	if len(reused.Citations) == 0 || reused.Citations[0].Document != "118/2025/NĐ-CP" || reused.Citations[0].Article != 17 {
		t.Errorf("citation %+v, want NĐ 118/2025 Điều 17", reused.Citations)
	}
	if !strings.Contains(reused.Evidence, "hs-ks-1") {
		t.Errorf("evidence %q does not name the source dossier", reused.Evidence)
	}
	for _, sg := range suggest.Draft(fs, nil) {
		if strings.Contains(vntext.Fold(sg.Text), "chung sinh") {
			t.Errorf("suggestion asks again for a held document: %q", sg.Text)
		}
	}
}

func mustDef(t *testing.T) *pipelinedef.Definition {
	def, err := pipelinedef.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// TestSatisfyNeverExpiredOrForeign: the vault only stands in for a paper
// with a valid record of the applicant.
func TestSatisfyNeverExpiredOrForeign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	v := vault.New(pool)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	date := func(s string) *time.Time { x, _ := time.Parse("2006-01-02", s); return &x }
	cardReq := catalog.Requirement{Key: "cccd", Name: "Bản sao Thẻ căn cước công dân", Kind: catalog.KindSubmit}
	for _, tc := range []struct {
		name string
		rec  vault.Record
		want bool
	}{
		{"ValidOwnCard", vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: mother, ValidUntil: date("2030-01-01")}, true},
		{"ExpiredCard", vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: mother, ValidUntil: date("2026-05-31")}, false},
		{"NotYetValid", vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: mother, ValidFrom: date("2026-07-01")}, false},
		{"AnotherOwner", vault.Record{OwnerID: "079190000222", Type: "cccd", SubjectIDNumber: "079190000222"}, false},
		{"FiledUnderApplicantButAnotherPerson", vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: "079190000999"}, false},
		{"ForeignIDNumberInFields", vault.Record{OwnerID: mother, Type: "cccd",
			Fields: []dossier.Field{{Name: "id_number", Value: "079 190 000 999", Subject: "applicant"}}}, false},
		{"FormIsNeverReused", vault.Record{OwnerID: mother, Type: "to_khai_can_cuoc"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := postgrestest.New(t)
			vv := vault.New(p)
			tc.rec.Source, tc.rec.SourceRef, tc.rec.VerifiedBy = "registry:test", tc.name, "registry:test"
			if _, _, err := vv.Register(ctx, tc.rec); err != nil {
				t.Fatal(err)
			}
			req := cardReq
			if tc.rec.Type == "to_khai_can_cuoc" {
				req = catalog.Requirement{Key: "tk", Name: "Tờ khai căn cước (CC01)", Kind: catalog.KindSubmit}
			}
			m, err := vv.Satisfy(ctx, mother, req, "2.001195", at)
			if err != nil {
				t.Fatal(err)
			}
			if (m != nil) != tc.want {
				t.Fatalf("match %+v, want match=%v", m, tc.want)
			}
		})
	}
	t.Run("RevokedRecord", func(t *testing.T) {
		r, _, err := v.Register(ctx, vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: mother, Source: "registry:test", SourceRef: "rv", VerifiedBy: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := v.Satisfy(ctx, mother, cardReq, "2.001195", at); m == nil {
			t.Fatal("valid record not matched before revocation")
		}
		if err := v.Revoke(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if m, _ := v.Satisfy(ctx, mother, cardReq, "2.001195", at); m != nil {
			t.Fatalf("revoked record reused: %+v", m)
		}
	})
	t.Run("CatalogClauseIsCited", func(t *testing.T) {
		p, _ := postgrestest.New(t)
		vv := vault.New(p)
		if _, _, err := vv.Register(ctx, vault.Record{OwnerID: mother, Type: "giay_chung_sinh", Source: "registry:benh-vien", SourceRef: "gcs-1", VerifiedBy: "registry:benh-vien",
			SubjectName: "Trần Minh An", SubjectBirthDate: "2026-05-20"}); err != nil {
			t.Fatal(err)
		}
		clause := "Trường hợp cơ quan đăng ký hộ tịch đã khai thác được dữ liệu điện tử của Giấy chứng sinh thì người yêu cầu không phải nộp."
		subjects := vault.DossierSubjects(mother, [][]dossier.Field{{{Name: "full_name", Value: "TRẦN MINH AN", Subject: "child"}}}, nil)
		res, err := vv.Lookup(ctx, vault.Query{ApplicantID: mother, Requirement: catalog.Requirement{Key: "gcs", Name: "Giấy chứng sinh", ElectronicSubstitute: &clause},
			ProcedureCode: "1.001193", At: at, Subjects: subjects})
		m := res.Match
		if err != nil || m == nil {
			t.Fatalf("%+v %v", m, err)
		}
		if m.Citation.Source != "catalog" || m.Citation.Text != clause {
			t.Errorf("citation %+v, want the procedure's own clause", m.Citation)
		}
	})
}

// TestRegisterValidates: the registry API's input is checked, and
// registering twice keeps one record.
func TestRegisterValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	v := vault.New(pool)
	for _, tc := range []struct {
		name string
		r    vault.Record
	}{
		{"NoOwner", vault.Record{Type: "cccd", Source: "registry:x", SourceRef: "1", VerifiedBy: "x"}},
		{"UnknownType", vault.Record{OwnerID: mother, Type: "so_ho_khau", Source: "registry:x", SourceRef: "1", VerifiedBy: "x"}},
		{"BadIDNumber", vault.Record{OwnerID: mother, Type: "cccd", SubjectIDNumber: "12ab", Source: "registry:x", SourceRef: "1", VerifiedBy: "x"}},
	} {
		if _, _, err := v.Register(ctx, tc.r); dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Errorf("%s: err %v, want invalid", tc.name, err)
		}
	}
	r := vault.Record{OwnerID: mother, Type: "xac_nhan_cu_tru", Issuer: "Công an phường 1", Source: "registry:cu-tru", SourceRef: "ct-9", VerifiedBy: "registry:cu-tru"}
	a, created, err := v.Register(ctx, r)
	if err != nil || !created {
		t.Fatal(created, err)
	}
	b, created, err := v.Register(ctx, r)
	if err != nil || created || a.ID != b.ID {
		t.Fatalf("second register: created=%v id %s vs %s err %v", created, b.ID, a.ID, err)
	}
}

// TestExportListsEveryRecord: a data-subject export holds every record,
// including expired and revoked ones, and is audited.
func TestExportListsEveryRecord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	v := vault.New(pool)
	seedDossier(t, pool, "hs-ex-1", "1.001193", time.Now(), doc{"giay-chung-sinh", "giay_chung_sinh", childFields})
	if _, err := v.Accept(ctx, "hs-ex-1", official, ""); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := map[string]bool{}
	for i, r := range []vault.Record{
		{OwnerID: mother, Type: "cccd", SubjectIDNumber: mother, ValidUntil: &past},
		{OwnerID: mother, Type: "xac_nhan_cu_tru"},
	} {
		r.Source, r.SourceRef, r.VerifiedBy = "registry:t", string(rune('a'+i)), "registry:t"
		got, _, err := v.Register(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids[got.ID] = true
	}
	if _, _, err := v.Register(ctx, vault.Record{OwnerID: "someone-else", Type: "cccd", Source: "registry:t", SourceRef: "z", VerifiedBy: "x"}); err != nil {
		t.Fatal(err)
	}
	ex, err := v.Export(ctx, mother, "citizen:"+mother)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Records) != 3 {
		t.Fatalf("export has %d records, want 3 (1 accepted + 2 registered)", len(ex.Records))
	}
	for _, r := range ex.Records {
		if r.OwnerID != mother {
			t.Errorf("export holds another person's record %s", r.ID)
		}
		delete(ids, r.ID)
	}
	if len(ids) != 0 || len(ex.Dossiers) != 1 || len(ex.Events) != 1 {
		t.Errorf("missing records %v; dossiers %d, events %d", ids, len(ex.Dossiers), len(ex.Events))
	}
	b, _ := json.Marshal(ex)
	for _, k := range []string{`"records"`, `"inbox"`, `"responses"`, `"legal_basis"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("export JSON lacks %s", k)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'citizen.export' AND entity_id = $1`, mother).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit rows %d %v", n, err)
	}
}

// TestOnceOnlyQuoteOccurs verifies the quoted text of the once-only citation
// against the decree in the shared legal corpus.
func TestOnceOnlyQuoteOccurs(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("HOSO_SHARED_DATA")
	if dir == "" {
		dir = "../../../shared/data"
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "legal-texts-rightly", "decrees", "118-2025-NĐ-CP*.txt"))
	if len(matches) == 0 {
		t.Skip("shared data absent (set HOSO_SHARED_DATA)")
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	quote := vntext.CollapseSpace(vault.OnceOnly.Text)
	lines := strings.Split(vntext.NFC(string(b)), "\n")
	for i, l := range lines {
		if !strings.Contains(vntext.CollapseSpace(l), quote) {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(l), "b) ") {
			t.Errorf("the quote is not point b: %.40q", l)
		}
		clause, article := "", ""
		for j := i - 1; j >= 0 && article == ""; j-- {
			h := strings.TrimSpace(lines[j])
			if clause == "" && len(h) > 2 && h[0] >= '0' && h[0] <= '9' && strings.Contains(h[:3], ".") {
				clause = h[:strings.Index(h, ".")]
			}
			if strings.HasPrefix(h, "Điều ") {
				article = h
			}
		}
		if !strings.HasPrefix(article, "Điều 17.") || clause != "1" {
			t.Errorf("the quote is under %.30q khoản %q, want Điều 17 khoản 1", article, clause)
		}
		return
	}
	t.Fatal("the quoted text does not occur in NĐ 118/2025")
}

func TestTypesFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want string
	}{
		{"Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp", "giay_chung_sinh"},
		{"Bản sao Thẻ căn cước công dân", "cccd"},
		{"Tờ khai đăng ký khai sinh theo mẫu quy định", ""},
		{"Giấy tờ có giá trị chứng minh thông tin về cư trú", "xac_nhan_cu_tru"},
	} {
		got := vault.TypesFor(catalog.Requirement{Name: tc.name})
		if (tc.want == "" && len(got) != 0) || (tc.want != "" && (len(got) == 0 || got[0] != tc.want)) {
			t.Errorf("%q: %v, want %q", tc.name, got, tc.want)
		}
	}
}
