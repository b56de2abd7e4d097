package check

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/store"
)

func sig(field string, valid, whole bool, trust string, codes ...pdfsig.Code) pdfsig.Signature {
	s := pdfsig.Signature{Field: field, Valid: valid, CoversWholeFile: whole, Trust: trust, SignedBytes: 100,
		Signer: pdfsig.Signer{CommonName: "C07", DN: "CN=C07,O=BỘ CÔNG AN"}}
	for _, c := range codes {
		s.Errors = append(s.Errors, pdfsig.Error{Code: c, Message: string(c)})
	}
	return s
}

func TestSignatureFindings(t *testing.T) {
	doc := func(sigs ...pdfsig.Signature) store.Document {
		return store.Document{Document: dossier.Document{ID: "D-d1", Filename: "giay.pdf", Signatures: sigs}}
	}
	byKey := func(fs []dossier.Finding) map[string]dossier.Finding {
		m := map[string]dossier.Finding{}
		for _, f := range fs {
			m[f.Key] = f
		}
		return m
	}
	// Trusted and whole: nothing to report. Untrusted issuer: no finding either.
	if fs := signatureFindings(doc(sig("S1", true, true, pdfsig.TrustTrusted))); len(fs) != 0 {
		t.Fatalf("trusted: %+v", fs)
	}
	if fs := signatureFindings(doc(sig("S1", true, true, pdfsig.TrustUntrusted, pdfsig.CodeChain))); len(fs) != 0 {
		t.Fatalf("untrusted: %+v", fs)
	}
	// Incremental signatures: earlier ones cover earlier revisions, the last
	// covers the file — not modified.
	if fs := signatureFindings(doc(sig("S1", true, false, pdfsig.TrustUntrusted, pdfsig.CodeNotWholeFile), sig("S2", true, true, pdfsig.TrustUntrusted))); len(fs) != 0 {
		t.Fatalf("incremental: %+v", fs)
	}
	// Bytes appended after the only signature.
	m := byKey(signatureFindings(doc(sig("S1", true, false, pdfsig.TrustTrusted, pdfsig.CodeNotWholeFile))))
	f, ok := m["document:D-d1:signature:modified"]
	if !ok || f.Status != dossier.FindingInvalid || f.Citations[0].Article != 22 || *f.Citations[0].Point != "d" || f.Citations[0].Document != "20/2023/QH15" {
		t.Fatalf("modified: %+v", m)
	}
	// Digest mismatch → invalid, error, Điều 22.3.d and Điều 23.2.
	m = byKey(signatureFindings(doc(sig("S1", false, true, pdfsig.TrustUntrusted, pdfsig.CodeDigest))))
	f = m["document:D-d1:signature:S1"]
	if f.Status != dossier.FindingInvalid || f.Severity != "error" || len(f.Citations) != 2 || *f.Citations[0].Point != "d" || f.Citations[1].Article != 23 {
		t.Fatalf("digest: %+v", f)
	}
	// Byte ranges outside the file (Công báo) → Điều 22.3.b.
	m = byKey(signatureFindings(doc(sig("S3", false, false, pdfsig.TrustUntrusted, pdfsig.CodeByteRange))))
	if f := m["document:D-d1:signature:S3"]; *f.Citations[0].Point != "b" || !strings.Contains(f.Evidence, "không nằm trong tệp") {
		t.Fatalf("byte range: %+v", f)
	}
	// Expired at signing → needs review, Điều 22.3.đ.
	m = byKey(signatureFindings(doc(sig("S1", true, true, pdfsig.TrustExpired, pdfsig.CodeChain))))
	if f := m["document:D-d1:signature:S1"]; f.Status != dossier.FindingNeedsReview || *f.Citations[0].Point != "đ" {
		t.Fatalf("expired: %+v", f)
	}
}

// A document signed by a trusted issuer over the whole file is an
// electronic original: the requirement's finding says so and cites Điều 10
// and Điều 23 khoản 2.
func TestSignedOriginalSatisfiesCopy(t *testing.T) {
	doc := store.Document{Document: dossier.Document{ID: "D-d1", Filename: "giay-chung-sinh.pdf",
		Signatures: []pdfsig.Signature{sig("S1", true, true, pdfsig.TrustTrusted)}}}
	f := dossier.Finding{Status: dossier.FindingPresent, Evidence: "Đã nộp: giay-chung-sinh.pdf"}
	signedOriginal(&f, catalog.Requirement{Copies: 1}, []store.Document{doc})
	if f.Details["signed_original"] == nil || len(f.Citations) != 2 || f.Citations[0].Article != 10 || !strings.Contains(f.Evidence, "có giá trị như bản gốc") {
		t.Fatalf("%+v", f)
	}
	// Untrusted issuer: not marked.
	doc.Signatures[0].Trust = pdfsig.TrustUntrusted
	g := dossier.Finding{}
	signedOriginal(&g, catalog.Requirement{Copies: 1}, []store.Document{doc})
	if g.Details != nil || len(g.Citations) != 0 {
		t.Fatalf("untrusted marked: %+v", g)
	}
}

// Every quote of a signature finding occurs in the cited article of Luật
// Giao dịch điện tử in ../shared (the consolidated text).
func TestSignatureCitationsQuoteTheLaw(t *testing.T) {
	p := filepath.Join("..", "..", "..", "shared", "data", "legal-texts-rightly", "laws", "36-VBHN-VPQH 2026 Luật Giao dịch điện tử.txt")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skip("../shared absent")
	}
	text := string(b)
	if !strings.Contains(text, "số 20/2023/QH15") {
		t.Fatal("not Luật 20/2023/QH15")
	}
	article := func(n int) string {
		start := strings.Index(text, "\nĐiều "+itoa(n)+". ")
		end := strings.Index(text[start+1:], "\nĐiều ")
		return text[start : start+1+end]
	}
	for _, c := range signatureLaws {
		a := article(c.Article)
		if !strings.Contains(a, c.Text) {
			t.Errorf("Điều %d does not contain %q", c.Article, c.Text)
		}
		if c.Clause != nil {
			clause := a[strings.Index(a, "\n"+itoa(*c.Clause)+". "):]
			if c.Point != nil && !strings.Contains(clause, "\n"+*c.Point+") "+c.Text) {
				t.Errorf("Điều %d khoản %d điểm %s is not %q", c.Article, *c.Clause, *c.Point, c.Text)
			}
			if c.Point == nil && !strings.Contains(clause, "\n"+itoa(*c.Clause)+". "+c.Text) {
				t.Errorf("Điều %d khoản %d is not %q", c.Article, *c.Clause, c.Text)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A finding on a requirement the catalog read with doubt says so, whether
// the paper is present or missing; a sure requirement's finding is left as
// it is, and so is a finding of another status.
func TestCatalogUncertainMarksTheFinding(t *testing.T) {
	const why = "tên quá dài, có thể gộp nhiều giấy tờ hoặc ghi chú (name over 250 characters: several papers or notes merged)"
	for _, st := range []string{dossier.FindingPresent, dossier.FindingMissing} {
		f := dossier.Finding{Status: st, Evidence: "Chưa có giấy tờ: Bản vẽ"}
		catalogUncertain(&f, catalog.Requirement{Uncertain: why})
		if f.Details["catalog_uncertain"] != why || !strings.Contains(f.Evidence, "cán bộ đối chiếu") || f.Status != st {
			t.Fatalf("%s: %+v", st, f)
		}
	}
	sure := dossier.Finding{Status: dossier.FindingMissing, Evidence: "Chưa có giấy tờ: Đơn"}
	catalogUncertain(&sure, catalog.Requirement{})
	if sure.Details != nil || sure.Evidence != "Chưa có giấy tờ: Đơn" {
		t.Fatalf("sure requirement marked: %+v", sure)
	}
	na := dossier.Finding{Status: dossier.FindingNotApplicable}
	catalogUncertain(&na, catalog.Requirement{Uncertain: why})
	if na.Details != nil {
		t.Fatalf("not-applicable marked: %+v", na)
	}
}
