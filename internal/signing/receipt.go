package signing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// FontPaths are tried in order for the receipt's TrueType font: DejaVu Sans
// covers every Vietnamese letter (Debian fonts-dejavu-core, installed by
// scripts/install-deps.sh).
var FontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/dejavu/DejaVuSans.ttf",
}

// ReceiptData is what a receipt says.
type ReceiptData struct {
	DossierID     string
	Agency        string
	ProcedureCode string
	ProcedureName string
	Applicant     string
	ReceivedAt    time.Time
	DueAt         time.Time // from the working-day calendar; zero: not stated
	Documents     []string
	Official      string
}

func font() ([]byte, error) {
	for _, p := range FontPaths {
		if b, err := os.ReadFile(p); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("phông chữ tiếng Việt (Vietnamese font) not found in %v; install fonts-dejavu-core", FontPaths)
}

// ReceiptPDF renders the unsigned receipt.
func ReceiptPDF(r ReceiptData) ([]byte, error) {
	ttf, err := font()
	if err != nil {
		return nil, err
	}
	hcm := workcal.Location
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreator("hoso", true)
	f.SetTitle("Giấy tiếp nhận hồ sơ và hẹn trả kết quả "+r.DossierID, true)
	f.AddUTF8FontFromBytes("dejavu", "", ttf)
	f.SetMargins(20, 18, 18)
	f.AddPage()
	f.SetFont("dejavu", "", 11)
	f.MultiCell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", "", "C", false)
	f.Ln(4)
	f.SetFont("dejavu", "", 14)
	f.MultiCell(0, 8, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "", "C", false)
	f.SetFont("dejavu", "", 11)
	f.MultiCell(0, 6, "Mã hồ sơ: "+r.DossierID, "", "C", false)
	f.Ln(4)
	line := func(s string) { f.MultiCell(0, 6, s, "", "L", false) }
	line(r.Agency + " đã tiếp nhận hồ sơ của: " + r.Applicant)
	line("Thủ tục: " + r.ProcedureCode + " " + r.ProcedureName)
	line("Thời điểm tiếp nhận: " + r.ReceivedAt.In(hcm).Format("15:04 ngày 02/01/2006"))
	line(fmt.Sprintf("Thành phần hồ sơ đã nhận (%d):", len(r.Documents)))
	for i, d := range r.Documents {
		line(fmt.Sprintf("  %d. %s", i+1, d))
	}
	if !r.DueAt.IsZero() {
		line("Thời gian hẹn trả kết quả: " + r.DueAt.In(hcm).Format("15:04 ngày 02/01/2006") + " (tính theo ngày làm việc)")
	}
	if r.Official != "" {
		line("Người tiếp nhận: " + r.Official)
	}
	f.Ln(4)
	line("Văn bản này được ký số bởi cơ quan tiếp nhận; kiểm tra bằng trình đọc PDF hoặc lệnh hoso verify.")
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SignReceipt renders and signs the receipt (PAdES, adbe.pkcs7.detached).
func (k *Keys) SignReceipt(r ReceiptData) ([]byte, error) {
	pdf, err := ReceiptPDF(r)
	if err != nil {
		return nil, err
	}
	return pdfsig.Sign(pdf, pdfsig.SignOptions{Key: k.Key, Cert: k.Cert, Chain: k.Chain, Field: "TiepNhan",
		Name: k.Cert.Subject.CommonName, Reason: "Tiếp nhận hồ sơ " + r.DossierID, Location: r.Agency})
}

// Canonical returns v as canonical JSON: object keys sorted, no
// insignificant space, no HTML escaping. The same value always gives the
// same bytes, so a signature over them can be checked again later.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// SignJSON returns the canonical JSON of v and a detached CMS signature
// over it.
func (k *Keys) SignJSON(v any) (content, sig []byte, err error) {
	if content, err = Canonical(v); err != nil {
		return nil, nil, err
	}
	sig, err = pdfsig.CMSDetached(content, k.Key, k.Cert, k.Chain)
	return content, sig, err
}
