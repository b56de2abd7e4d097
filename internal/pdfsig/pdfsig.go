// Package pdfsig verifies the digital signatures of a PDF: for every
// signature field it reports the signer, signing time, hash, sub-filter and
// signed byte ranges, whether those ranges cover the whole file (bytes
// appended after signing mean a modified document), whether the CMS
// signature is cryptographically valid over those bytes, and whether the
// signer's certificate chains to a configured trust store (trusted, expired
// at signing time, untrusted, revoked by a configured CRL). No network is
// used.
//
// The PDF structure (AcroForm signature fields, across incremental
// revisions) is read with github.com/ledongthuc/pdf, which hoso already uses
// for text layers; the CMS (PKCS#7 SignedData, also CAdES) with
// github.com/smallstep/pkcs7, the maintained fork of go.mozilla.org/pkcs7
// with tagged releases. Untrusted bytes: every problem with one signature is
// a typed *Error in that signature's Errors, never a panic; Verify itself
// fails only when the file is not a readable PDF. Callers that take files
// from citizens run Verify inside the extraction sandbox (package extract).
package pdfsig

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/smallstep/pkcs7"
)

// Trust values of Signature.Trust.
const (
	TrustTrusted   = "trusted"   // chains to the trust store, valid at signing time, not revoked
	TrustExpired   = "expired"   // a certificate of the chain was outside its validity at signing time
	TrustUntrusted = "untrusted" // does not chain to the trust store (or no certificate could be read)
	TrustRevoked   = "revoked"   // listed in a configured CRL, revoked at or before signing time
)

// Code names what went wrong with one signature.
type Code string

const (
	CodeByteRange    Code = "byte_range_invalid" // missing, malformed, or outside the file
	CodeContents     Code = "contents_invalid"   // no /Contents, or not where the byte ranges leave a gap
	CodeTooLarge     Code = "too_large"          // /Contents above MaxContentsBytes
	CodeCMS          Code = "cms_malformed"      // the CMS SignedData does not parse
	CodeNoSigner     Code = "no_signer"          // no signer, or no certificate for it
	CodeDigest       Code = "digest_mismatch"    // the signed bytes changed after signing
	CodeSignature    Code = "signature_invalid"  // the signature over the signed attributes fails
	CodeSubFilter    Code = "sub_filter_unsupported"
	CodeNotWholeFile Code = "not_whole_file" // bytes were added after this signature
	CodeChain        Code = "chain"          // trust evaluation (untrusted, expired, revoked)
)

// Error is one typed problem with a signature.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

func errorf(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// ErrNotPDF means the file could not be read as a PDF at all.
var ErrNotPDF = errors.New("pdfsig: not a readable PDF")

// Signer identifies the holder of the signing certificate.
type Signer struct {
	CommonName   string `json:"common_name"`
	DN           string `json:"dn"`
	Organization string `json:"organization"`
	Issuer       string `json:"issuer,omitempty"` // the certificate issuer's DN
	Serial       string `json:"serial,omitempty"` // hex
	NotBefore    string `json:"not_before,omitempty"`
	NotAfter     string `json:"not_after,omitempty"`
}

// Signature is what Verify found about one signature field.
type Signature struct {
	Field       string `json:"field"`
	Signer      Signer `json:"signer"`
	SigningTime string `json:"signing_time,omitempty"` // RFC 3339, UTC
	// SigningTimeSource says where SigningTime comes from: "cms" (the
	// signingTime attribute, which the signature protects; pdfsig shows it
	// too) or "pdf" (the dictionary's /M, when the CMS has no signing time).
	SigningTimeSource string `json:"signing_time_source,omitempty"`
	// PDFSigningTime is /M. Vietnamese signing tools disagree with the CMS
	// by 7 hours now and then (local time written as UTC on one side).
	PDFSigningTime string     `json:"pdf_signing_time,omitempty"`
	Hash           string     `json:"hash"` // SHA-256, SHA1, …
	SubFilter      string     `json:"sub_filter"`
	ByteRanges     [][2]int64 `json:"byte_ranges"` // [offset, length] pairs as in /ByteRange
	// SignedBytes is the end of the signed revision: the file as it was
	// when this signature was made ends there.
	SignedBytes     int64 `json:"signed_bytes"`
	CoversWholeFile bool  `json:"covers_whole_file"`
	// LaterRevisionSigned: this signature covers an earlier revision and a
	// later valid signature covers the whole file (incremental signing, as
	// on a document several people sign in turn), so the bytes after this
	// one are signed too.
	LaterRevisionSigned bool    `json:"later_revision_signed,omitempty"`
	Valid               bool    `json:"valid"` // digest over the byte ranges and CMS signature both check out
	Trust               string  `json:"trust"`
	Reason              string  `json:"reason,omitempty"`
	Location            string  `json:"location,omitempty"`
	Errors              []Error `json:"errors"`
}

// Report is the result for one file.
type Report struct {
	Signatures []Signature `json:"signatures"`
}

// Options bound the work done on hostile input and name the trust store.
type Options struct {
	Trust            *Trust // nil: nothing is trusted
	MaxSignatures    int    // signature fields read; default 64
	MaxContentsBytes int    // size of one /Contents; default 1 MiB (real ones are 8–30 KiB)
	MaxFields        int    // form fields walked; default 10000
}

func (o Options) withDefaults() Options {
	if o.MaxSignatures <= 0 {
		o.MaxSignatures = 64
	}
	if o.MaxContentsBytes <= 0 {
		o.MaxContentsBytes = 1 << 20
	}
	if o.MaxFields <= 0 {
		o.MaxFields = 10000
	}
	return o
}

// sigDict is a signature value (/V of a /FT /Sig field) as read from the PDF.
type sigDict struct {
	field      string
	byteRange  []int64
	brErr      string
	contents   []byte
	subFilter  string
	m          string
	name       string
	reason     string
	location   string
	hasContent bool
}

// Verify reads every signature of the PDF in data. It returns ErrNotPDF
// (wrapped) when the file cannot be opened; a PDF without signatures gives
// an empty Report.
func Verify(data []byte, opts Options) (rep Report, err error) {
	opts = opts.withDefaults()
	rep.Signatures = []Signature{}
	dicts, err := readSigDicts(data, opts)
	if err != nil {
		return rep, err
	}
	whole := false
	for _, d := range dicts {
		s := verifyOne(data, d, opts)
		whole = whole || (s.Valid && s.CoversWholeFile)
		rep.Signatures = append(rep.Signatures, s)
	}
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		s.LaterRevisionSigned = whole && !s.CoversWholeFile && s.SignedBytes > 0
	}
	return rep, nil
}

// readSigDicts walks the AcroForm fields of the last revision (which lists
// the fields of all earlier ones) and returns each signed signature field.
func readSigDicts(data []byte, opts Options) (out []sigDict, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%w: parser panic: %v", ErrNotPDF, x)
		}
	}()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrNotPDF)
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		// Bytes appended after the last %%EOF (a modified document, or
		// trailing junk) stop the reader; read the structure up to that
		// %%EOF. The byte ranges are still checked against the whole file.
		i := bytes.LastIndex(data, []byte("%%EOF"))
		if i < 0 {
			return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
		}
		var err2 error
		if r, err2 = pdf.NewReader(bytes.NewReader(data[:i+5]), int64(i+5)); err2 != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
		}
	}
	form := r.Trailer().Key("Root").Key("AcroForm")
	fields := form.Key("Fields")
	seen := 0
	var walk func(v pdf.Value, parent string, depth int)
	walk = func(v pdf.Value, parent string, depth int) {
		if depth > 32 || seen >= opts.MaxFields || len(out) >= opts.MaxSignatures {
			return
		}
		seen++
		name := parent
		if t := v.Key("T"); t.Kind() == pdf.String {
			if name != "" {
				name += "."
			}
			name += t.Text()
		}
		kids := v.Key("Kids")
		for i := 0; i < kids.Len() && i < opts.MaxFields; i++ {
			walk(kids.Index(i), name, depth+1)
		}
		if fieldType(v) != "Sig" {
			return
		}
		sv := v.Key("V")
		if sv.Kind() != pdf.Dict {
			return // an empty signature field: nothing signed
		}
		out = append(out, readSigValue(sv, name, opts))
	}
	for i := 0; i < fields.Len() && i < opts.MaxFields; i++ {
		walk(fields.Index(i), "", 0)
	}
	// Pages cut from a signed document (the Công báo extracts) keep the
	// signature widget in the page's /Annots without an AcroForm; poppler
	// finds those too.
	found := map[string]bool{}
	for _, d := range out {
		found[d.field] = true
	}
	// The page tree is walked by hand with a node budget: a cyclic tree
	// (hostile input) must end, and ledongthuc's Page(i) walks it again
	// for every page.
	var pages func(v pdf.Value, depth int)
	pages = func(v pdf.Value, depth int) {
		if depth > 32 || seen >= opts.MaxFields || len(out) >= opts.MaxSignatures {
			return
		}
		seen++
		if kids := v.Key("Kids"); kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len() && seen < opts.MaxFields; i++ {
				pages(kids.Index(i), depth+1)
			}
			return
		}
		annots := v.Key("Annots")
		for i := 0; i < annots.Len() && seen < opts.MaxFields && len(out) < opts.MaxSignatures; i++ {
			seen++
			a := annots.Index(i)
			if fieldType(a) != "Sig" || a.Key("V").Kind() != pdf.Dict {
				continue
			}
			name := a.Key("T").Text()
			if found[name] {
				continue
			}
			found[name] = true
			out = append(out, readSigValue(a.Key("V"), name, opts))
		}
	}
	pages(r.Trailer().Key("Root").Key("Pages"), 0)
	return out, nil
}

// fieldType is /FT, inherited from the parent field when absent.
func fieldType(v pdf.Value) string {
	for i := 0; i < 32 && v.Kind() == pdf.Dict; i++ {
		if ft := v.Key("FT"); ft.Kind() == pdf.Name {
			return ft.Name()
		}
		v = v.Key("Parent")
	}
	return ""
}

func readSigValue(sv pdf.Value, field string, opts Options) sigDict {
	d := sigDict{field: field}
	d.subFilter = sv.Key("SubFilter").Name()
	d.m = sv.Key("M").Text()
	d.name = sv.Key("Name").Text()
	d.reason = sv.Key("Reason").Text()
	d.location = sv.Key("Location").Text()
	br := sv.Key("ByteRange")
	switch {
	case br.Kind() != pdf.Array:
		d.brErr = "no /ByteRange array"
	case br.Len() != 4:
		d.brErr = fmt.Sprintf("/ByteRange has %d numbers, want 4", br.Len())
	default:
		for i := 0; i < 4; i++ {
			n := br.Index(i)
			if n.Kind() != pdf.Integer {
				d.brErr = "/ByteRange holds a non-integer"
				break
			}
			d.byteRange = append(d.byteRange, n.Int64())
		}
	}
	c := sv.Key("Contents")
	if c.Kind() == pdf.String {
		d.hasContent = true
		// Above the limit contents stays empty, which verifyOne reports
		// as too large.
		if raw := c.RawString(); len(raw) <= opts.MaxContentsBytes {
			d.contents = []byte(raw)
		}
	}
	return d
}

// maxTime is later than any certificate's NotAfter.
var maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func verifyOne(data []byte, d sigDict, opts Options) (s Signature) {
	s = Signature{Field: d.field, SubFilter: d.subFilter, Trust: TrustUntrusted, Errors: []Error{},
		ByteRanges: [][2]int64{}, Reason: d.reason, Location: d.location}
	defer func() {
		if x := recover(); x != nil {
			s.Valid = false
			s.Errors = append(s.Errors, Error{Code: CodeCMS, Message: fmt.Sprintf("verifier panic: %v", x)})
		}
	}()
	add := func(e *Error) { s.Errors = append(s.Errors, *e) }
	if t, ok := parsePDFDate(d.m); ok {
		s.PDFSigningTime = t.UTC().Format(time.RFC3339)
		s.SigningTime, s.SigningTimeSource = s.PDFSigningTime, "pdf"
	}
	for i := 0; i+1 < len(d.byteRange); i += 2 {
		s.ByteRanges = append(s.ByteRanges, [2]int64{d.byteRange[i], d.byteRange[i+1]})
	}
	switch d.subFilter {
	case "adbe.pkcs7.detached", "ETSI.CAdES.detached":
	case "adbe.pkcs7.sha1":
		// The CMS holds the SHA-1 of the ranges as its content; accepted below.
	default:
		add(errorf(CodeSubFilter, "sub-filter %q is not verified (only adbe.pkcs7.detached, ETSI.CAdES.detached, adbe.pkcs7.sha1)", d.subFilter))
	}
	signed, berr := signedBytes(data, d)
	if berr != nil {
		add(berr)
	} else {
		br := d.byteRange
		s.SignedBytes = br[2] + br[3]
		s.CoversWholeFile = s.SignedBytes == int64(len(data))
		if !s.CoversWholeFile {
			add(errorf(CodeNotWholeFile, "signature covers the first %d of %d bytes; %d bytes were added after signing", s.SignedBytes, len(data), int64(len(data))-s.SignedBytes))
		}
	}
	if !d.hasContent {
		add(errorf(CodeContents, "no /Contents string"))
		return s
	}
	if len(d.contents) == 0 {
		add(errorf(CodeTooLarge, "/Contents is empty or above %d bytes", opts.MaxContentsBytes))
		return s
	}
	der := trimDER(d.contents)
	p7, err := pkcs7.Parse(der)
	if err != nil {
		add(errorf(CodeCMS, "%v", err))
		return s
	}
	if len(p7.Signers) == 0 {
		add(errorf(CodeNoSigner, "the CMS has no signer"))
		return s
	}
	si := p7.Signers[0]
	if h, err := hashName(si.DigestAlgorithm.Algorithm); err == nil {
		s.Hash = h
	} else {
		s.Hash = si.DigestAlgorithm.Algorithm.String()
	}
	ee := signerCert(p7)
	if ee == nil {
		add(errorf(CodeNoSigner, "no certificate for the signer in the CMS"))
		return s
	}
	s.Signer = signerOf(ee)
	var st time.Time
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &st); err == nil && !st.IsZero() {
		s.SigningTime, s.SigningTimeSource = st.UTC().Format(time.RFC3339), "cms"
	}
	if signed == nil {
		return s // the byte ranges are unusable: nothing to verify against
	}
	if d.subFilter == "adbe.pkcs7.sha1" {
		// The signed content is the SHA-1 of the ranges, inside the CMS.
		sum := crypto.SHA1.New()
		sum.Write(signed)
		if !bytes.Equal(p7.Content, sum.Sum(nil)) {
			add(errorf(CodeDigest, "the SHA-1 in the signature does not match the signed bytes"))
			return s
		}
	} else {
		p7.Content = signed
	}
	if err := cryptoCheck(p7); err != nil {
		var md *pkcs7.MessageDigestMismatchError
		if errors.As(err, &md) {
			add(errorf(CodeDigest, "the signed bytes were changed after signing (message digest mismatch)"))
		} else {
			add(errorf(CodeSignature, "%v", err))
		}
		return s
	}
	s.Valid = true
	// Trust is judged at the signing time, the signed one when there is one.
	var when time.Time
	if t, err := time.Parse(time.RFC3339, s.SigningTime); err == nil {
		when = t
	}
	trust, terr := opts.Trust.evaluate(ee, p7.Certificates, when)
	s.Trust = trust
	if terr != nil {
		add(terr)
	}
	return s
}

// cryptoCheck verifies the message digest and the signature. The library
// refuses a signing time outside the signer certificate's validity before it
// checks the signature; hoso reports that as trust "expired" instead, so the
// mathematics is checked on copies of the certificates whose validity spans
// all time. Validity is judged by Trust.evaluate on the originals.
func cryptoCheck(p7 *pkcs7.PKCS7) error {
	q := *p7
	q.Certificates = make([]*x509.Certificate, len(p7.Certificates))
	for i, c := range p7.Certificates {
		cc := *c
		cc.NotBefore, cc.NotAfter = time.Time{}, maxTime
		q.Certificates[i] = &cc
	}
	q.Signers = p7.Signers[:1]
	return q.Verify()
}

// signerCert finds the certificate of the first signer by issuer and serial.
func signerCert(p7 *pkcs7.PKCS7) *x509.Certificate {
	if len(p7.Signers) == 0 {
		return nil
	}
	ias := p7.Signers[0].IssuerAndSerialNumber
	for _, c := range p7.Certificates {
		if c.SerialNumber != nil && ias.SerialNumber != nil && c.SerialNumber.Cmp(ias.SerialNumber) == 0 &&
			bytes.Equal(c.RawIssuer, ias.IssuerName.FullBytes) {
			return c
		}
	}
	for _, c := range p7.Certificates {
		if c.SerialNumber != nil && ias.SerialNumber != nil && c.SerialNumber.Cmp(ias.SerialNumber) == 0 {
			return c
		}
	}
	return nil
}

// signedBytes checks the byte ranges against the file and returns the
// signed bytes. The ranges must start at 0, stay inside the file, and leave
// exactly the /Contents hex string as the gap.
func signedBytes(data []byte, d sigDict) ([]byte, *Error) {
	if d.brErr != "" {
		return nil, errorf(CodeByteRange, "%s", d.brErr)
	}
	br := d.byteRange
	n := int64(len(data))
	a, al, b, bl := br[0], br[1], br[2], br[3]
	if a != 0 || al < 0 || b < 0 || bl < 0 || b < al {
		return nil, errorf(CodeByteRange, "illegal values in /ByteRange %v", br)
	}
	if al > n || b > n || bl > n-b {
		return nil, errorf(CodeByteRange, "/ByteRange %v runs past the end of the file (%d bytes): the signature belongs to a larger document this one was cut from", br, n)
	}
	if b-al < 2 || data[al] != '<' || data[b-1] != '>' {
		return nil, errorf(CodeContents, "the gap between the byte ranges (%d–%d) is not the /Contents hex string", al, b)
	}
	out := make([]byte, 0, al+bl)
	out = append(out, data[:al]...)
	out = append(out, data[b:b+bl]...)
	return out, nil
}

// trimDER cuts the zero padding after the DER SignedData (/Contents is
// reserved larger than the signature).
func trimDER(b []byte) []byte {
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(b, &raw); err == nil {
		return b[:len(b)-len(rest)]
	}
	return b // BER (indefinite length): the library handles it
}

var hashOIDs = map[string]string{
	"1.3.14.3.2.26":          "SHA1",
	"2.16.840.1.101.3.4.2.1": "SHA-256",
	"2.16.840.1.101.3.4.2.2": "SHA-384",
	"2.16.840.1.101.3.4.2.3": "SHA-512",
	"2.16.840.1.101.3.4.2.4": "SHA-224",
	"1.2.840.113549.2.5":     "MD5",
}

func hashName(oid asn1.ObjectIdentifier) (string, error) {
	if n, ok := hashOIDs[oid.String()]; ok {
		return n, nil
	}
	return "", fmt.Errorf("unknown digest algorithm %s", oid)
}

// parsePDFDate reads a PDF date, D:YYYYMMDDHHmmSSOHH'mm'.
func parsePDFDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}, false
	}
	rest := strings.ReplaceAll(s[14:], "'", "")
	if len(rest) >= 5 && (rest[0] == '+' || rest[0] == '-') {
		var hh, mm int
		if _, err := fmt.Sscanf(rest[1:5], "%02d%02d", &hh, &mm); err == nil {
			off := (hh*60 + mm) * 60
			if rest[0] == '-' {
				off = -off
			}
			t = t.Add(-time.Duration(off) * time.Second)
		}
	}
	return t.UTC(), true
}
