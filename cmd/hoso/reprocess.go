package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/replay"
)

func init() { register(newReprocessCmd) }

func newReprocessCmd(e *env) *cobra.Command {
	var procedure, since, until, from, rate, by, reason string
	var keep, dry, asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "reprocess --procedure CODE --since DATE [--rate N/s] [dossier-id...]",
		Short: "Xử lý lại hàng loạt hồ sơ theo phiên bản đang kích hoạt (re-run dossiers in bulk)",
		Long: `Xử lý lại các hồ sơ đã xong (đã kiểm tra trước hoặc lỗi) của một thủ tục, nộp từ
--since, theo phiên bản quy trình đang kích hoạt (hoặc giữ phiên bản đã ghi với
--keep-version). Mỗi hồ sơ được ghi nhật ký kiểm toán; các kết luận cũ bị thay thế;
đề xuất đã có giữ nguyên (cán bộ có thể đã quyết định). Hồ sơ đang xử lý được bỏ qua.

Re-runs finished dossiers of a procedure submitted since a date, under the
active pipeline version (or each one's recorded version with --keep-version),
with a progress bar and a rate limit. Each dossier is re-armed in one audited
transaction and published with a new attempt number; dossiers in flight are
skipped.

Ví dụ / example:
  hoso reprocess --procedure 1.001193 --since 2026-11-01 --rate 5/s`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sel := replay.Selection{Procedure: procedure, IDs: args, Limit: limit}
			var err error
			if len(args) == 0 {
				if procedure == "" || since == "" {
					return fmt.Errorf("cần --procedure và --since, hoặc mã hồ sơ (need --procedure and --since, or dossier ids)")
				}
				if sel.Since, err = parseDate(since); err != nil {
					return err
				}
				if until != "" {
					if sel.Until, err = parseDate(until); err != nil {
						return err
					}
				}
			}
			r, err := parseRate(rate)
			if err != nil {
				return err
			}
			svc, err := operatorService(ctx, e)
			if err != nil {
				return err
			}
			ids, err := svc.Reprocess.Select(ctx, sel)
			if err != nil {
				return err
			}
			version := svc.Registry.Current().VersionLabel()
			if keep {
				version = ""
			}
			if dry {
				printf(e.stdout, "Sẽ xử lý lại %d hồ sơ theo %s (dry run):\n", len(ids), or(version, "phiên bản đã ghi"))
				for _, id := range ids {
					printf(e.stdout, "  %s\n", id)
				}
				return nil
			}
			res, err := svc.Reprocess.Reprocess(ctx, ids, replay.ReprocessOptions{From: from, Version: version, Rate: r,
				Actor: operator(e, by), Reason: reason, Progress: e.stderr})
			if asJSON {
				if jerr := writeJSONOut(e, res); jerr != nil {
					return jerr
				}
			} else {
				printf(e.stdout, "Đã chuyển lại %d/%d hồ sơ tới bước %s theo %s (republished); bỏ qua %d đang xử lý.\n",
					res.Republished, res.Selected, or(from, "intake"), or(version, "phiên bản đã ghi"), len(res.Skipped))
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&procedure, "procedure", "", "mã thủ tục (procedure code)")
	f.StringVar(&since, "since", "", "nộp từ ngày (submitted since), YYYY-MM-DD hoặc RFC 3339")
	f.StringVar(&until, "until", "", "nộp trước ngày (submitted before)")
	f.StringVar(&from, "from", "intake", "bước bắt đầu làm lại (first stage to redo)")
	f.StringVar(&rate, "rate", "10/s", "tốc độ tối đa (rate limit), ví dụ 5/s, 0 = không giới hạn")
	f.IntVar(&limit, "limit", 0, "số hồ sơ tối đa (at most this many)")
	f.BoolVar(&keep, "keep-version", false, "giữ phiên bản đã ghi trên hồ sơ (keep each dossier's recorded version)")
	f.BoolVar(&dry, "dry-run", false, "chỉ liệt kê (list only)")
	f.StringVar(&by, "by", "", "người thực hiện (operator; default $USER)")
	f.StringVar(&reason, "reason", "", "lý do (reason, recorded in the audit log)")
	f.BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return cmd
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ngày %q không hợp lệ, dùng YYYY-MM-DD (bad date)", s)
}

func parseRate(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "/s"), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("--rate %q phải có dạng N/s (must look like 5/s)", s)
	}
	return v, nil
}
