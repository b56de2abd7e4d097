package check

import (
	"fmt"
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/store"
)

// The law behind signature findings: Luật Giao dịch điện tử 20/2023/QH15
// (consolidated as 36/VBHN-VPQH 2026 in ../shared/data/legal-texts-rightly,
// which hoso's regulation index files under 20/2023/QH15).
//
// Điều 22 khoản 3 lists what makes a chữ ký số: (b) the signature-creation
// data is bound uniquely to the content that was approved — a signature
// whose byte ranges cannot even lie inside this file (pages cut from a
// signed gazette) is bound to other content; (d) every change to the data
// message after signing can be detected — a digest mismatch, or bytes
// appended after the last signature, is such a detected change; (đ) it
// must be backed by a chữ ký số certificate — an expired or revoked one
// does not back it. Điều 23 khoản 2 gives a chữ ký số the legal value of a
// handwritten signature on paper: it is the consequence the official must
// weigh, cited next to the failed condition. Điều 10 (value as an original)
// was considered and not cited: it speaks of integrity of a data message in
// general, Điều 22 of the signature that proves it. Each quote below is
// copied from the text and TestSignatureCitationsQuoteTheLaw checks it.
const (
	lawGDDT      = "20/2023/QH15"
	lawGDDTTitle = "Luật Giao dịch điện tử"
)

func gddt(article, clause int, point, text string) dossier.Citation {
	c := dossier.Citation{Document: lawGDDT, Title: lawGDDTTitle, Article: article, Text: text, Score: 1, Source: "legal_basis"}
	if clause > 0 {
		c.Clause = &clause
	}
	if point != "" {
		c.Point = &point
	}
	return c
}

var (
	citeOriginal  = gddt(10, 0, "", "Thông điệp dữ liệu được sử dụng và có giá trị như bản gốc khi đáp ứng đủ các yêu cầu sau đây:")
	citeBound     = gddt(22, 3, "b", "Dữ liệu tạo chữ ký số chỉ gắn duy nhất với nội dung của thông điệp dữ liệu được chấp thuận")
	citeChange    = gddt(22, 3, "d", "Mọi thay đổi đối với thông điệp dữ liệu sau thời điểm ký đều có thể bị phát hiện")
	citeCert      = gddt(22, 3, "đ", "Phải được bảo đảm bởi chứng thư chữ ký số.")
	citeLegalEff  = gddt(23, 2, "", "Chữ ký điện tử chuyên dùng bảo đảm an toàn hoặc chữ ký số có giá trị pháp lý tương đương chữ ký của cá nhân đó trong văn bản giấy.")
	signatureLaws = []dossier.Citation{citeOriginal, citeBound, citeChange, citeCert, citeLegalEff}
)

// signatureFindings turns a document's verified signatures into findings:
// a signature that fails (invalid, or byte ranges that cannot belong to this
// file), a document changed after its last signature, and a certificate
// expired or revoked at signing time. A valid, trusted, whole-file signature
// is no finding: the report and console show it on the document. An issuer
// that is merely not in the configured trust store is no finding either
// (the operator's trust store is configuration, and the console shows the
// badge).
func signatureFindings(doc store.Document) []dossier.Finding {
	if len(doc.Signatures) == 0 {
		return nil
	}
	var out []dossier.Finding
	name := func(s pdfsig.Signature) string {
		if s.Signer.CommonName != "" {
			return s.Signer.CommonName
		}
		return "không rõ (unknown)"
	}
	wholeValid := false
	anyValid := false
	for _, s := range doc.Signatures {
		if s.Valid {
			anyValid = true
			wholeValid = wholeValid || s.CoversWholeFile
		}
	}
	for _, s := range doc.Signatures {
		key := "document:" + doc.ID + ":signature:" + s.Field
		details := map[string]any{"field": s.Field, "signer": s.Signer.DN, "signing_time": s.SigningTime, "trust": s.Trust,
			"error_codes": codes(s)}
		switch {
		case !s.Valid:
			cite := citeChange
			why := "nội dung đã bị thay đổi sau khi ký (content changed after signing)"
			if has(s, pdfsig.CodeByteRange) || has(s, pdfsig.CodeContents) {
				cite = citeBound
				why = "vùng dữ liệu được ký không nằm trong tệp này: chữ ký thuộc về một văn bản khác (the signed byte ranges do not lie in this file: the signature belongs to another document)"
			} else if !has(s, pdfsig.CodeDigest) {
				why = "không kiểm tra được chữ ký (the signature cannot be verified)"
			}
			out = append(out, dossier.Finding{Key: key, Kind: "validity", Requirement: doc.Filename, Status: dossier.FindingInvalid,
				Severity: "error", DocumentID: doc.ID, Citations: []dossier.Citation{cite, citeLegalEff}, Details: details,
				Evidence: fmt.Sprintf("Chữ ký số %q của %s trên tệp %q không hợp lệ: %s — %s", s.Field, name(s), doc.Filename, why, firstError(s))})
		case s.Trust == pdfsig.TrustExpired || s.Trust == pdfsig.TrustRevoked:
			what := "đã hết hạn tại thời điểm ký (expired at signing time)"
			if s.Trust == pdfsig.TrustRevoked {
				what = "đã bị thu hồi trước thời điểm ký (revoked before signing)"
			}
			out = append(out, dossier.Finding{Key: key, Kind: "validity", Requirement: doc.Filename, Status: dossier.FindingNeedsReview,
				Severity: "warning", DocumentID: doc.ID, Citations: []dossier.Citation{citeCert, citeLegalEff}, Details: details,
				Evidence: fmt.Sprintf("Chứng thư chữ ký số của %s trên tệp %q %s", name(s), doc.Filename, what)})
		}
	}
	if anyValid && !wholeValid {
		last := doc.Signatures[len(doc.Signatures)-1]
		out = append(out, dossier.Finding{Key: "document:" + doc.ID + ":signature:modified", Kind: "validity", Requirement: doc.Filename,
			Status: dossier.FindingInvalid, Severity: "warning", DocumentID: doc.ID, Citations: []dossier.Citation{citeChange, citeLegalEff},
			Details: map[string]any{"signed_bytes": last.SignedBytes, "signer": last.Signer.DN},
			Evidence: fmt.Sprintf("Tệp %q đã bị sửa đổi sau khi ký: chữ ký số của %s chỉ bao trùm %d byte đầu của tệp (modified after signing: no signature covers the whole file)",
				doc.Filename, name(last), last.SignedBytes)})
	}
	return out
}

func has(s pdfsig.Signature, c pdfsig.Code) bool {
	for _, e := range s.Errors {
		if e.Code == c {
			return true
		}
	}
	return false
}

func codes(s pdfsig.Signature) []string {
	out := []string{}
	for _, e := range s.Errors {
		out = append(out, string(e.Code))
	}
	return out
}

func firstError(s pdfsig.Signature) string {
	for _, e := range s.Errors {
		if e.Code != pdfsig.CodeNotWholeFile && e.Code != pdfsig.CodeChain {
			return strings.TrimSpace(e.Message)
		}
	}
	return ""
}

// signedOriginal marks a present requirement whose document is an
// electronic original: signed with a valid signature from a trusted issuer
// that covers the whole file. Where the procedure asks for an original or a
// (certified) copy, such a file serves as the original itself — Điều 10
// (value as an original: integrity since creation, which a whole-file
// signature proves) with Điều 23 khoản 2 — so the official need not ask for
// a certified copy. The finding says so and cites both.
func signedOriginal(f *dossier.Finding, req catalog.Requirement, matched []store.Document) {
	for _, doc := range matched {
		for _, s := range doc.Signatures {
			if !s.Valid || !s.CoversWholeFile || s.Trust != pdfsig.TrustTrusted {
				continue
			}
			if f.Details == nil {
				f.Details = map[string]any{}
			}
			f.Details["signed_original"] = map[string]any{"document_id": doc.ID, "signer": s.Signer.DN, "signing_time": s.SigningTime}
			f.Evidence += fmt.Sprintf("; %s là bản điện tử có chữ ký số hợp lệ của %s, có giá trị như bản gốc (signed electronic original)", doc.Filename, s.Signer.CommonName)
			if req.Copies > 0 || req.Originals > 0 || req.ElectronicSubstitute != nil {
				f.Citations = append([]dossier.Citation{citeOriginal, citeLegalEff}, f.Citations...)
			}
			return
		}
	}
}
