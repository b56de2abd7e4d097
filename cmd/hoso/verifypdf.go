package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/pdfsig"
)

func init() { register(newVerifyPDFCmd) }

func newVerifyPDFCmd(e *env) *cobra.Command {
	var (
		asJSON    bool
		trustPath string
		crls      []string
	)
	cmd := &cobra.Command{
		Use:   "verify-pdf <tệp.pdf>",
		Short: "Kiểm tra chữ ký số trong một tệp PDF / Verify the digital signatures of a PDF",
		Long: `Kiểm tra từng chữ ký số trong tệp PDF: trường chữ ký, người ký (CN, DN, tổ chức),
thời điểm ký, thuật toán băm, sub-filter, vùng byte được ký, chữ ký có bao trùm
toàn bộ tệp không (byte thêm sau khi ký = tài liệu đã bị sửa), chữ ký có hợp lệ
về mật mã không, và chứng thư có chuỗi tới kho tin cậy (HOSO_TRUST_STORE,
HOSO_TRUST_CRLS) không: trusted | expired | untrusted | revoked. Không dùng mạng.
Chạy trong tiến trình con có giới hạn tài nguyên như bước trích xuất.
Mã thoát 0 khi mọi chữ ký hợp lệ và bao trùm tệp (hoặc không có chữ ký),
1 khi có chữ ký không hợp lệ hoặc tệp bị sửa sau khi ký.

Verify every digital signature of a PDF: field, signer (CN, DN, organisation),
signing time, hash, sub-filter, signed byte ranges, whether they cover the whole
file (bytes appended after signing mean a modified document), cryptographic
validity, and trust against the configured trust store: trusted | expired |
untrusted | revoked. No network. Runs in the extraction sandbox. Exit 0 when
every signature is valid and covers the file (or there is none), 1 otherwise.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			cfg, err := e.config()
			if err != nil {
				return err
			}
			opts := doctext.DefaultOptions()
			opts.TrustStore, opts.CRLFiles = cfg.TrustStore, cfg.TrustCRLs
			if trustPath != "" {
				opts.TrustStore = trustPath
			}
			if len(crls) > 0 {
				opts.CRLFiles = crls
			}
			sigs, sigErr, err := doctext.New(opts, e.logger()).VerifySignatures(cmd.Context(), data)
			if err != nil {
				return err
			}
			if sigs == nil {
				sigs = []pdfsig.Signature{}
			}
			out := struct {
				Signatures []pdfsig.Signature `json:"signatures"`
				Error      string             `json:"error,omitempty"`
			}{sigs, sigErr}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				printSignatures(e, sigs, sigErr)
			}
			if sigErr != "" {
				return exitError{code: 2}
			}
			for _, s := range sigs {
				if !s.Valid || !s.CoversWholeFile {
					return exitError{code: 1}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "in kết quả dạng JSON / print the result as JSON")
	cmd.Flags().StringVar(&trustPath, "trust-store", "", "tệp PEM chứng thư gốc tin cậy (thay HOSO_TRUST_STORE) / PEM bundle of trusted roots")
	cmd.Flags().StringSliceVar(&crls, "crl", nil, "tệp CRL (thay HOSO_TRUST_CRLS) / CRL file, repeatable")
	return cmd
}

func printSignatures(e *env, sigs []pdfsig.Signature, sigErr string) {
	if sigErr != "" {
		printf(e.stdout, "lỗi (error): %s\n", sigErr)
		return
	}
	if len(sigs) == 0 {
		printf(e.stdout, "Không có chữ ký số (no digital signature).\n")
		return
	}
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	for i, s := range sigs {
		printf(e.stdout, "Chữ ký #%d (signature): %s\n", i+1, s.Field)
		printf(e.stdout, "  người ký (signer): %s\n  DN: %s\n  tổ chức (organization): %s\n", s.Signer.CommonName, s.Signer.DN, s.Signer.Organization)
		when := s.SigningTime
		if t, err := time.Parse(time.RFC3339, s.SigningTime); err == nil && hcm != nil {
			when = t.In(hcm).Format("02/01/2006 15:04:05 -07:00")
		}
		printf(e.stdout, "  thời điểm ký (signing time): %s\n  băm (hash): %s  sub-filter: %s\n", when, s.Hash, s.SubFilter)
		var rs []string
		for _, r := range s.ByteRanges {
			rs = append(rs, "["+itoa(r[0])+" – "+itoa(r[0]+r[1])+"]")
		}
		printf(e.stdout, "  vùng ký (byte ranges): %s\n", strings.Join(rs, ", "))
		printf(e.stdout, "  toàn bộ tệp (covers whole file): %v\n  hợp lệ (valid): %v\n  tin cậy (trust): %s\n", s.CoversWholeFile, s.Valid, s.Trust)
		for _, er := range s.Errors {
			printf(e.stdout, "  ! %s: %s\n", er.Code, er.Message)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
