package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/signing"
	"github.com/hoso-vn/hoso/internal/vault"
)

func init() {
	register(newVerifyCmd)
	register(newSignCmd)
}

// trustForRecords is the trust store for hoso's own signatures: the
// configured one, or the demo CA that `hoso demo` created.
func trustForRecords(e *env, override string) (*pdfsig.Trust, string, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, "", err
	}
	path := cfg.TrustStore
	if override != "" {
		path = override
	}
	if path == "" {
		if p := filepath.Join(cfg.DataDir, "signing", signing.DemoCAFile); fileExists(p) {
			path = p
		}
	}
	t, err := pdfsig.LoadTrust(path, cfg.TrustCRLs)
	return t, path, err
}

func newVerifyCmd(e *env) *cobra.Command {
	var (
		asJSON     bool
		trustPath  string
		exportFile string
		auditHeads bool
	)
	cmd := &cobra.Command{
		Use:   "verify <mã-hồ-sơ> | --export FILE | --audit-heads",
		Short: "Kiểm tra mọi chữ ký số trên các bản ghi của một hồ sơ / Verify every signature of a dossier's records",
		Long: `Kiểm tra lại chữ ký số của mọi bản ghi mà hoso đã ký cho hồ sơ: giấy tiếp nhận (PDF,
chữ ký PAdES), báo cáo kiểm tra trước, quyết định của cán bộ và thông báo gửi công dân
(JSON chuẩn hóa với chữ ký CMS tách rời). Kho tin cậy: HOSO_TRUST_STORE, hoặc CA thử
nghiệm của hoso demo. Mã thoát 1 nếu có bản ghi không hợp lệ (ví dụ bị sửa dù chỉ một byte).

Re-check the signature of every record hoso signed for the dossier: the receipt
(PDF, PAdES), the pre-check report, officials' decisions and messages to the
citizen (canonical JSON with a detached CMS). Trust store: HOSO_TRUST_STORE, or
the demo CA of hoso demo. Exit 1 when any record fails (a one-byte change is enough).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if exportFile != "" {
				return cobra.MaximumNArgs(1)(cmd, args)
			}
			if auditHeads {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			trust, path, err := trustForRecords(e, trustPath)
			if err != nil {
				return err
			}
			var checks []signing.Check
			label := exportFile
			if auditHeads {
				label = "audit"
				pool, err := e.db(ctx)
				if err != nil {
					return err
				}
				if checks, err = (&signing.Service{Pool: pool}).VerifyAuditHeads(ctx, trust); err != nil {
					return err
				}
			} else if exportFile != "" {
				// Offline: the records inside a citizen's export file.
				if checks, err = verifyExportFile(exportFile, args, trust); err != nil {
					return err
				}
			} else {
				label = args[0]
				pool, err := e.db(ctx)
				if err != nil {
					return err
				}
				if checks, err = (&signing.Service{Pool: pool}).Verify(ctx, args[0], trust); err != nil {
					return err
				}
			}
			bad := 0
			for _, c := range checks {
				if !c.Valid {
					bad++
				}
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(map[string]any{"dossier_id": label, "trust_store": path, "records": checks, "ok": bad == 0 && len(checks) > 0}); err != nil {
					return err
				}
			} else {
				if len(checks) == 0 {
					printf(e.stdout, "%s: chưa có bản ghi nào được ký (no signed records).\n", label)
				}
				for _, c := range checks {
					verdict := "HỢP LỆ (valid)"
					if !c.Valid {
						verdict = "KHÔNG HỢP LỆ (invalid)"
					}
					printf(e.stdout, "%-8s %-40s %s, tin cậy (trust): %s, người ký (signer): %s", c.Kind, c.Ref, verdict, c.Trust, c.Signer)
					if c.Official != "" {
						printf(e.stdout, ", cán bộ (official): %s", c.Official)
					}
					if c.Error != "" {
						printf(e.stdout, " — %s", c.Error)
					}
					fmt.Fprintln(e.stdout)
				}
			}
			if bad > 0 || len(checks) == 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "in kết quả dạng JSON / print the result as JSON")
	cmd.Flags().StringVar(&trustPath, "trust-store", "", "tệp PEM chứng thư gốc tin cậy / PEM bundle of trusted roots")
	cmd.Flags().BoolVar(&auditHeads, "audit-heads", false, "kiểm tra các đầu chuỗi nhật ký kiểm toán đã ký hằng ngày / verify the daily signed audit chain heads")
	cmd.Flags().StringVar(&exportFile, "export", "", "kiểm tra ngoại tuyến các bản ghi ký số trong tệp xuất dữ liệu công dân (hoso citizen export), không cần CSDL / verify offline the signed records of a citizen export file")
	return cmd
}

// verifyExportFile checks the signed_records of a `hoso citizen export`
// file, optionally only those of one dossier.
func verifyExportFile(path string, args []string, trust *pdfsig.Trust) ([]signing.Check, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ex struct {
		Signed []vault.ExportSigned `json:"signed_records"` // as vault.Export writes them
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		return nil, fmt.Errorf("%s: không phải tệp xuất dữ liệu (not an export file): %w", path, err)
	}
	var out []signing.Check
	for _, s := range ex.Signed {
		if len(args) == 1 && s.DossierID != args[0] {
			continue
		}
		out = append(out, signing.VerifyRecord(signing.Record{DossierID: s.DossierID, Kind: s.Kind, Ref: s.Ref, Official: s.Official,
			ContentType: s.ContentType, Content: s.Content, Signature: s.Signature, Signer: s.Signer, SHA256: s.SHA256, SignedAt: s.SignedAt}, trust))
	}
	return out, nil
}

func newSignCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "sign <mã-hồ-sơ>",
		Short: "Ký số ngay các bản ghi đến hạn của một hồ sơ / Sign a dossier's due records now",
		Long: `Ký bằng khóa của cơ quan (HOSO_SIGNING_KEY và HOSO_SIGNING_CERT, hoặc HOSO_SIGNING_P12)
những gì đến hạn: báo cáo kiểm tra trước, giấy tiếp nhận khi hồ sơ đã được tiếp nhận,
quyết định và thông báo đã duyệt. Dịch vụ tự làm việc này định kỳ; lệnh không ký lại
bản ghi đã ký.

Sign with the agency key what is due: the pre-check report, the receipt once
accepted, decisions and released messages. The service does this periodically;
nothing is signed twice.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			keys, err := signing.Load(cfg.SigningKey, cfg.SigningCert, cfg.SigningP12, cfg.SigningP12Password)
			if err != nil {
				return err
			}
			if keys == nil {
				if keys, _, err = signing.EnsureDemoIfPresent(filepath.Join(cfg.DataDir, "signing")); err != nil || keys == nil {
					return fmt.Errorf("chưa cấu hình khóa ký (no signing key: set HOSO_SIGNING_KEY and HOSO_SIGNING_CERT, or run hoso demo once)")
				}
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			n, err := (&signing.Service{Pool: pool, Keys: keys}).SignDossier(ctx, args[0])
			if err != nil {
				return err
			}
			printf(e.stdout, "Đã ký %d bản ghi mới (signed %d new records).\n", n, n)
			return nil
		},
	}
}
