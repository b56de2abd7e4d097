package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/service"
	"github.com/hoso-vn/hoso/internal/submission"
)

func init() { register(newSubmitCmd) }

func newSubmitCmd(e *env) *cobra.Command {
	var procedure, applicant, agency, key, meta string
	var cases []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "submit --procedure CODE --applicant ID [--idempotency-key K] file...",
		Short: "Nộp một hồ sơ (submit a dossier)",
		Long: `Nộp hồ sơ cho một thủ tục: lưu tệp vào kho đối tượng NATS, ghi hồ sơ vào
PostgreSQL và chuyển sang bước tiếp nhận. Nộp lại với cùng --idempotency-key trả
về cùng một hồ sơ. Tệp được kiểm tra theo nội dung (PDF, JPEG, PNG, DOCX, TXT).

Submits a dossier: files go to the NATS object store, the dossier is recorded in
PostgreSQL and handed to intake. The same --idempotency-key returns the same
dossier. File types are checked by their content, not their names.

Ví dụ / example:
  hoso submit --procedure 1.001193 --applicant 001090012345 to-khai.pdf giay-chung-sinh.pdf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req := submission.Request{ProcedureCode: procedure, ApplicantID: applicant, Agency: agency, IdempotencyKey: key}
			if meta != "" {
				if err := json.Unmarshal([]byte(meta), &req.Metadata); err != nil {
					return fmt.Errorf("--metadata is not a JSON object: %w", err)
				}
			}
			if len(cases) > 0 {
				if req.Metadata == nil {
					req.Metadata = map[string]any{}
				}
				declared, _ := req.Metadata["cases"].([]any)
				for _, c := range cases {
					declared = append(declared, c)
				}
				req.Metadata["cases"] = declared
			}
			for _, p := range args {
				data, err := os.ReadFile(p)
				if err != nil {
					return fmt.Errorf("đọc tệp (read file): %w", err)
				}
				req.Files = append(req.Files, submission.File{Name: filepath.Base(p), Data: data})
			}
			cfg, err := e.config()
			if err != nil {
				return err
			}
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), NoWorkers: true, ReconcileInterval: -1})
			if err != nil {
				return err
			}
			defer shutdown(e, svc)
			res, err := svc.Submission.Submit(ctx, req)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, res)
			}
			if res.Created {
				printf(e.stdout, "Đã nộp hồ sơ %s (submitted)\n", res.DossierID)
			} else {
				printf(e.stdout, "Hồ sơ đã có với khóa này: %s (already submitted with this key)\n", res.DossierID)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&procedure, "procedure", "", "mã thủ tục (procedure code), ví dụ 1.001193")
	f.StringVar(&applicant, "applicant", "", "mã định danh người nộp (applicant id)")
	f.StringVar(&agency, "agency", "", "cơ quan tiếp nhận (receiving agency), mặc định HOSO_DEFAULT_AGENCY")
	f.StringVar(&key, "idempotency-key", "", "khóa chống nộp trùng (idempotency key)")
	f.StringVar(&meta, "metadata", "", `siêu dữ liệu JSON (metadata), ví dụ {"cases":["van-ban-uy-quyen"]}`)
	f.StringArrayVar(&cases, "case", nil, "trường hợp của hồ sơ, khóa trong hoso catalog show CODE (case-1…) hoặc khóa giấy tờ của trường hợp; lặp lại được (the dossier's case: a case key or a case requirement's key; repeatable; added to metadata.cases)")
	f.BoolVar(&asJSON, "json", false, "in kết quả dạng JSON (print JSON)")
	_ = cmd.MarkFlagRequired("procedure")
	_ = cmd.MarkFlagRequired("applicant")
	return cmd
}

func writeJSONOut(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
