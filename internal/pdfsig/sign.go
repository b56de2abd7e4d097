package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/smallstep/pkcs7"
)

// SignOptions describe a PAdES signature to add.
type SignOptions struct {
	Key      crypto.Signer
	Cert     *x509.Certificate
	Chain    []*x509.Certificate // intermediates (and root) to embed
	Field    string              // signature field name; default "Signature1"
	Name     string
	Reason   string
	Location string
	Time     time.Time // signing time; zero: now
}

// sigReserve is the room kept for the DER CMS (hex doubles it): a
// signature, its certificate chain and attributes fit in well under 16 KiB.
const sigReserve = 16 << 10

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reTrailer   = regexp.MustCompile(`(?s)trailer\s*<<(.*?)>>\s*startxref`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+(\d+)\s+R`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+\s+\d+\s+R)`)
	rePageType  = regexp.MustCompile(`(?s)(\d+)\s+0\s+obj\s*<<\s*/Type\s*/Page\b`)
)

// Sign appends an incremental update to a PDF with a classic cross-reference
// table and an uncompressed catalog (what hoso writes with go-pdf/fpdf),
// holding an invisible signature field signed adbe.pkcs7.detached (PAdES
// basic) with the given key. Any PDF reader and pdfsig verify it.
func Sign(in []byte, o SignOptions) ([]byte, error) {
	if o.Key == nil || o.Cert == nil {
		return nil, errors.New("pdfsig: sign: key and certificate required")
	}
	if o.Field == "" {
		o.Field = "Signature1"
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	m := reStartXref.FindSubmatch(in)
	if m == nil {
		return nil, errors.New("pdfsig: sign: no startxref at the end of the file")
	}
	prev := string(m[1])
	tm := reTrailer.FindAllSubmatch(in, -1)
	if tm == nil {
		return nil, errors.New("pdfsig: sign: no classic trailer (cross-reference streams are not supported)")
	}
	trailer := tm[len(tm)-1][1]
	rm := reRoot.FindSubmatch(trailer)
	sm := reSize.FindSubmatch(trailer)
	if rm == nil || sm == nil {
		return nil, errors.New("pdfsig: sign: trailer without /Root or /Size")
	}
	rootNum, _ := strconv.Atoi(string(rm[1]))
	size, _ := strconv.Atoi(string(sm[1]))
	catalog, err := objectBody(in, rootNum)
	if err != nil {
		return nil, err
	}
	pm := rePageType.FindSubmatch(in)
	if pm == nil {
		return nil, errors.New("pdfsig: sign: no page object")
	}
	page := string(pm[1])
	fieldNum, sigNum := size, size+1
	newSize := size + 2

	var b bytes.Buffer
	b.Write(in)
	if !bytes.HasSuffix(in, []byte("\n")) {
		b.WriteByte('\n')
	}
	offsets := map[int]int{}
	offsets[fieldNum] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /FT /Sig /T %s /V %d 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P %s 0 R >>\nendobj\n",
		fieldNum, textString(o.Field), sigNum, page)
	offsets[sigNum] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M %s",
		sigNum, pdfDate(o.Time))
	for _, kv := range [][2]string{{"Name", o.Name}, {"Reason", o.Reason}, {"Location", o.Location}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " /%s %s", kv[0], textString(kv[1]))
		}
	}
	b.WriteString(" /ByteRange ")
	brAt := b.Len()
	b.WriteString("[0 0000000000 0000000000 0000000000]")
	brLen := b.Len() - brAt
	b.WriteString(" /Contents ")
	contentsAt := b.Len()
	b.WriteByte('<')
	b.Write(bytes.Repeat([]byte("0"), 2*sigReserve))
	b.WriteByte('>')
	contentsEnd := b.Len()
	b.WriteString(" >>\nendobj\n")
	offsets[rootNum] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<<%s /AcroForm << /Fields [%d 0 R] /SigFlags 3 >> >>\nendobj\n", rootNum, catalog, fieldNum)
	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range []int{rootNum, fieldNum, sigNum} {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", n, offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Prev %s", newSize, rootNum, prev)
	if im := reInfo.FindSubmatch(trailer); im != nil {
		fmt.Fprintf(&b, " /Info %s", im[1])
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)

	out := b.Bytes()
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, contentsEnd, len(out)-contentsEnd)
	if len(br) > brLen {
		return nil, errors.New("pdfsig: sign: byte range does not fit")
	}
	copy(out[brAt:], br+string(bytes.Repeat([]byte(" "), brLen-len(br))))
	signed := make([]byte, 0, len(out))
	signed = append(signed, out[:contentsAt]...)
	signed = append(signed, out[contentsEnd:]...)
	der, err := CMSDetached(signed, o.Key, o.Cert, o.Chain)
	if err != nil {
		return nil, err
	}
	if 2*len(der) > 2*sigReserve {
		return nil, fmt.Errorf("pdfsig: sign: signature of %d bytes exceeds the %d reserved", len(der), sigReserve)
	}
	hex.Encode(out[contentsAt+1:], der)
	return out, nil
}

// CMSDetached returns a detached CMS SignedData (SHA-256, with content
// type, message digest and signing time — now — as signed attributes) over
// data.
func CMSDetached(data []byte, key crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(data)
	if err != nil {
		return nil, fmt.Errorf("pdfsig: cms: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(cert, key, chain, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("pdfsig: cms: %w", err)
	}
	sd.Detach()
	return sd.Finish()
}

// VerifyDetached checks a detached CMS signature over data and returns the
// signer's certificate, with the trust of that certificate at signing time.
func VerifyDetached(data, der []byte, trust *Trust) (*x509.Certificate, string, error) {
	p7, err := pkcs7.Parse(trimDER(der))
	if err != nil {
		return nil, "", &Error{Code: CodeCMS, Message: err.Error()}
	}
	p7.Content = data
	ee := signerCert(p7)
	if ee == nil {
		return nil, "", &Error{Code: CodeNoSigner, Message: "no certificate for the signer"}
	}
	if err := cryptoCheck(p7); err != nil {
		var md *pkcs7.MessageDigestMismatchError
		if errors.As(err, &md) {
			return ee, "", &Error{Code: CodeDigest, Message: "the signed data was changed after signing"}
		}
		return ee, "", &Error{Code: CodeSignature, Message: err.Error()}
	}
	var st time.Time
	_ = p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &st)
	tr, terr := trust.evaluate(ee, p7.Certificates, st)
	if terr != nil {
		return ee, tr, terr
	}
	return ee, tr, nil
}

// objectBody returns the text between << and >> of uncompressed object n
// (its last definition in the file).
func objectBody(in []byte, n int) (string, error) {
	re := regexp.MustCompile(`(?s)(?:^|[\r\n ])` + strconv.Itoa(n) + `\s+0\s+obj\s*<<(.*?)>>\s*endobj`)
	all := re.FindAllSubmatch(in, -1)
	if all == nil {
		return "", fmt.Errorf("pdfsig: sign: catalog object %d not found uncompressed", n)
	}
	body := all[len(all)-1][1]
	if bytes.Contains(body, []byte("/AcroForm")) {
		return "", errors.New("pdfsig: sign: the PDF already has a form; only unsigned hoso-made PDFs are signed")
	}
	return string(body), nil
}

// textString writes s as a PDF text string: UTF-16BE with a BOM, in hex.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("(D:%s%c%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}
