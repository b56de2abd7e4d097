package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/service"
	agencypkg "github.com/hoso-vn/hoso/internal/agency"
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
PostgreSQL và chuyển sang bước tiếp nhận. Nộp lại đúng hồ sơ đó với cùng
--idempotency-key (trong cùng cơ quan) trả về cùng một hồ sơ; dùng lại khóa cho
hồ sơ khác (thủ tục, người nộp, siêu dữ liệu hay tệp khác) bị từ chối. Mã thủ tục
phải có trong danh mục và có hiệu lực hôm nay (nếu không, in các mã gần nhất);
người nộp là số định danh cá nhân 12 chữ số hoặc mã số thuế (10 chữ số hay
NNNNNNNNNN-NNN). Tệp được kiểm tra theo nội dung (PDF, JPEG, PNG, DOCX, TXT).
Lệnh nộp vào hệ thống đang chạy (NATS_URL, hoặc "hoso serve" đang chạy với cùng
HOSO_DATA_DIR) và báo lỗi ngay khi không có.

Submits a dossier: files go to the NATS object store, the dossier is recorded in
PostgreSQL and handed to intake. The same request with the same
--idempotency-key (within one agency) returns the same dossier; the key reused
for another request exits non-zero. The procedure must be in the catalog and in
force today (else the closest codes are printed); the applicant must be a
12-digit personal ID or a tax code. File types are checked by their content.
It submits to the running system (NATS_URL, or a "hoso serve" running with the
same HOSO_DATA_DIR) and fails at once when there is none.

Ví dụ / example:
  hoso submit --procedure 1.001193 --applicant 001090012345 to-khai.pdf giay-chung-sinh.pdf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req := submission.Request{ProcedureCode: procedure, ApplicantID: applicant, Agency: agency, IdempotencyKey: key, Submitter: "cli"}
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
			// The agency is a code of the agencies table: a dossier filed
			// under a name or a made-up code is seen by no official.
			if agency != "" {
				pool, err := e.db(ctx)
				if err != nil {
					return err
				}
				if _, err := agencypkg.NewStore(pool).Active(ctx, agency); err != nil {
					return err
				}
			}
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), NoWorkers: true, ReconcileInterval: -1, Join: true})
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
	f.StringVar(&applicant, "applicant", "", "số định danh cá nhân hoặc mã số thuế của người nộp (applicant: personal ID or tax code)")
	f.StringVar(&agency, "agency", "", "mã cơ quan tiếp nhận (receiving agency code, see hoso agency list), mặc định HOSO_DEFAULT_AGENCY")
	f.StringVar(&key, "idempotency-key", "", "khóa chống nộp trùng (idempotency key)")
	f.StringVar(&meta, "metadata", "", `siêu dữ liệu JSON (metadata), ví dụ {"cases":["van-ban-uy-quyen"]}`)
	f.StringArrayVar(&cases, "case", nil, "trường hợp của hồ sơ: khóa trong hoso catalog show CODE (case-1…), số hiệu như 1.7 hoặc khóa giấy tờ của trường hợp; lặp lại được (the dossier's case: a case key, its label such as 1.7, or a case requirement's key; repeatable; checked against the procedure; a label is stored as its case key in metadata.cases)")
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
