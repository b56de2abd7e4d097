package doctext

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdftext"
)

// parseResult is what the sandboxed parse returns: the pages of a PDF,
// DOCX or text file, or a typed error.
type parseResult struct {
	Protocol  string           `json:"protocol"` // sandboxProtocol, proving that the child ran the protocol
	Doc       pdftext.Document `json:"doc"`
	ErrorCode Code             `json:"error_code,omitempty"`
	Error     string           `json:"error,omitempty"`
	// Signatures of a PDF, verified in the same child (nil when not asked
	// or not a PDF); SignatureError when the signature structure itself
	// could not be read.
	Signatures     []pdfsig.Signature `json:"signatures,omitempty"`
	SignatureError string             `json:"signature_error,omitempty"`
}

// parseRequest tells the sandbox what to parse and within which limits.
type parseRequest struct {
	ContentType    string `json:"content_type"`
	MaxBytes       int64  `json:"max_bytes"`
	MaxPages       int    `json:"max_pages"`
	MaxOutputBytes int    `json:"max_output_bytes"`
	MemoryBytes    uint64 `json:"memory_bytes"`
	CPUSeconds     int    `json:"cpu_seconds"`
	// Exec, when set, makes the child replace itself with this program
	// (path and arguments) once the limits apply, instead of parsing: see
	// LimitedCommand.
	Exec []string `json:"exec,omitempty"`
	// Signatures asks for the PDF's signatures to be verified against the
	// trust store (a PEM bundle path) and CRL files; SignaturesOnly skips
	// the text.
	Signatures     bool     `json:"signatures,omitempty"`
	SignaturesOnly bool     `json:"signatures_only,omitempty"`
	TrustStore     string   `json:"trust_store,omitempty"`
	CRLFiles       []string `json:"crl_files,omitempty"`
	// Pool makes the child a long-lived member of the sandbox pool (see
	// pool.go): it parses one framed document after another from stdin.
	Pool bool `json:"pool,omitempty"`
}

func (x *Extractor) request(ct string) parseRequest {
	return parseRequest{ContentType: ct, MaxBytes: x.opts.MaxBytes, MaxPages: x.opts.MaxPages,
		MaxOutputBytes: x.opts.MaxOutputBytes, MemoryBytes: x.opts.MemoryBytes, CPUSeconds: x.opts.CPUSeconds,
		Signatures: x.opts.Signatures, TrustStore: x.opts.TrustStore, CRLFiles: x.opts.CRLFiles}
}

// parse runs parseBytes in the sandbox, or in this process when InProcess
// is set.
func (x *Extractor) parse(ctx context.Context, ct string, data []byte) (parseResult, error) {
	req := x.request(ct)
	var pr parseResult
	if x.opts.InProcess {
		pr = parseBytes(req, data)
	} else {
		var err error
		if os.Getenv(SandboxEnv) == "1" {
			// A child that did not run the protocol is running its own
			// main (or tests) and tried to extract: refuse rather than
			// recurse.
			return pr, ErrNoSandbox
		}
		p := x.pools.get(poolKey{MemoryBytes: req.MemoryBytes, CPUSeconds: req.CPUSeconds})
		pr, err = p.parse(ctx, req, data, x.opts.Timeout, x.opts.MaxOutputBytes)
		if err != nil {
			return pr, err
		}
	}
	if pr.ErrorCode != "" {
		return pr, &Error{Code: pr.ErrorCode, Err: errors.New(pr.Error)}
	}
	return pr, nil
}

// testParsers lets tests make the sandbox child misbehave (recurse without
// bound, loop, allocate without bound) to prove that the parent survives.
// Only _test.go files add entries, so the production binary has none.
var testParsers = map[string]func([]byte){}

// parseBytes is the untrusted-input parse itself; it runs inside the
// sandbox child. It recovers panics; stack exhaustion and memory exhaustion
// cannot be recovered and end the child, which the parent reports.
func parseBytes(req parseRequest, data []byte) (pr parseResult) {
	defer func() {
		if x := recover(); x != nil {
			pr = parseResult{ErrorCode: CodeCorrupt, Error: fmt.Sprintf("parser panic: %v", x)}
		}
	}()
	lim := pdftext.Limits{MaxBytes: req.MaxBytes, MaxPages: req.MaxPages, MaxOutputBytes: req.MaxOutputBytes}.WithDefaults()
	var doc *pdftext.Document
	var err error
	var sigs []pdfsig.Signature
	var sigErr string
	if req.ContentType == TypePDF && (req.Signatures || req.SignaturesOnly) {
		sigs, sigErr = verifySignatures(req, data)
		if req.SignaturesOnly {
			return parseResult{Signatures: sigs, SignatureError: sigErr}
		}
	}
	// Signatures stay reported when the text cannot be read: a signed file
	// with bytes appended after its last %%EOF defeats the text reader, and
	// that is exactly the file whose signatures matter.
	defer func() { pr.Signatures, pr.SignatureError = sigs, sigErr }()
	switch req.ContentType {
	case TypePDF:
		doc, err = pdftext.Extract(data, lim)
	case TypeDOCX:
		doc, err = docxText(data, lim)
	case TypePlain:
		doc, err = plainText(data, lim)
	default:
		if f := testParsers[req.ContentType]; f != nil {
			f(data) // only test binaries register these
		}
		err = errorf(CodeUnsupported, "no parser for %s", req.ContentType)
	}
	if err != nil {
		c := codeOf(err)
		return parseResult{ErrorCode: c, Error: err.Error()}
	}
	return parseResult{Doc: *doc}
}

// codeOf maps parser errors onto codes.
func codeOf(err error) Code {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, pdftext.ErrEncrypted):
		return CodeEncrypted
	case errors.Is(err, pdftext.ErrTooLarge):
		return CodeTooLarge
	case errors.Is(err, pdftext.ErrUnsupported):
		return CodeUnsupported
	case errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	}
	return CodeCorrupt
}

// verifySignatures reads and verifies the signatures of a PDF (inside the
// sandbox child). A trust store that cannot be loaded is hoso's
// configuration problem, not the document's: every signature is then
// reported untrusted with the reason.
func verifySignatures(req parseRequest, data []byte) (sigs []pdfsig.Signature, errText string) {
	defer func() {
		if x := recover(); x != nil {
			sigs, errText = nil, fmt.Sprintf("signature verifier panic: %v", x)
		}
	}()
	trust, terr := pdfsig.LoadTrust(req.TrustStore, req.CRLFiles)
	rep, err := pdfsig.Verify(data, pdfsig.Options{Trust: trust})
	if err != nil {
		return nil, err.Error()
	}
	if terr != nil {
		for i := range rep.Signatures {
			rep.Signatures[i].Errors = append(rep.Signatures[i].Errors, pdfsig.Error{Code: pdfsig.CodeChain, Message: "trust store: " + terr.Error()})
		}
	}
	return rep.Signatures, ""
}

// VerifySignatures verifies the signatures of a PDF in the sandbox (or in
// this process with InProcess), with the Extractor's trust store and limits.
// A file the sandbox cannot survive is an *Error; a file that is not a PDF
// gives an empty list and the reason.
func (x *Extractor) VerifySignatures(ctx context.Context, data []byte) ([]pdfsig.Signature, string, error) {
	if ct, _ := Sniff(data); ct != TypePDF {
		return nil, "không phải PDF (not a PDF)", nil
	}
	req := x.request(TypePDF)
	req.SignaturesOnly = true
	var pr parseResult
	if x.opts.InProcess {
		pr = parseBytes(req, data)
	} else {
		var err error
		if pr, err = runSandbox(ctx, req, data, x.opts.Timeout, x.opts.MaxOutputBytes); err != nil {
			return nil, "", err
		}
	}
	if pr.ErrorCode != "" {
		return nil, "", &Error{Code: pr.ErrorCode, Err: errors.New(pr.Error)}
	}
	return pr.Signatures, pr.SignatureError, nil
}
