package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/evals"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/store"
)

func newEvalHarvestCmd(e *env) *cobra.Command {
	var since, out string
	cmd := &cobra.Command{
		Use:   "harvest [--since DATE] [--out FILE]",
		Short: "Xuất các lần cán bộ sửa kết quả kiểm tra thành ví dụ có nhãn (export officials' corrections as labelled examples)",
		Long: `Xuất các quyết định sửa của cán bộ (trường hợp của hồ sơ, thành phần của giấy tờ,
trạng thái của kết quả kiểm tra) thành ví dụ có nhãn, mỗi dòng một JSON: nội dung giấy
tờ → thành phần; các giấy tờ của hồ sơ → trường hợp; kết quả → trạng thái. Chỉ lấy
quyết định đang có hiệu lực. Tên người và số định danh được che trước khi ghi. Bộ
đánh giá phân loại và tính đầy đủ đọc tệp này thành một tập riêng (chỉ số harvest_…).

Exports officials' corrections (a dossier's case, a document's requirement, a
finding's status) as labelled examples, one JSON a line: document text features
→ requirement; the dossier's papers → case; finding → status. Only the decision
in force for each target. Names and ID numbers are redacted before writing. The
classification and completeness suites read the file as a separate set
(metrics harvest_…). --out - writes to standard output.`,
		Example: `  hoso eval harvest --since 2026-11-01
  hoso eval harvest --out - | jq .kind`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var from time.Time
			if since != "" {
				t, err := parseDate(since)
				if err != nil {
					return err
				}
				from = t
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			var w io.Writer = e.stdout
			if out != "-" {
				if out == "" {
					root, err := evalRoot()
					if err != nil {
						return err
					}
					out = filepath.Join(root, evals.DefaultHarvest)
				}
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					return err
				}
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			n, err := evals.Harvest(ctx, pool, store.New(pool), catalog.NewStore(pool), from, w)
			if err != nil {
				return err
			}
			if out != "-" {
				fmt.Fprintf(e.stdout, "đã xuất %d ví dụ vào %s (exported %d examples to %s)\n", n, out, n, out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&since, "since", "", "sửa từ ngày (corrected since), YYYY-MM-DD hoặc RFC 3339")
	f.StringVar(&out, "out", "", "tệp đích; - là đầu ra chuẩn (output file; default "+evals.DefaultHarvest+", - for stdout)")
	return cmd
}
