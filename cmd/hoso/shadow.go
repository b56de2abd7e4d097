package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/shadow"
)

func init() { register(newShadowCmd) }

func newShadowCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "shadow",
		Short: "Chạy bóng một phiên bản ứng viên trên hồ sơ thật (shadow a candidate pipeline version)",
		Long: `Phiên bản ứng viên chạy song song trên cùng các hồ sơ thật (consumer JetStream riêng),
không gây tác động: không đề xuất nào tới cán bộ hay công dân, không ghi kho dữ liệu,
không thay đổi hồ sơ. "report" so sánh với bản đang chạy và với quyết định cuối của cán
bộ (đồng thuận, độ chính xác, độ phủ) — đó là điều kiện để kích hoạt; mã thoát khác 0
khi ứng viên kém hơn quá dung sai.

A candidate version runs on a mirrored JetStream consumer of the same live
dossiers with no side effects. "report" compares it with production and with
officials' final decisions; it exits non-zero when the candidate is worse
than production beyond the tolerance (the promotion gate).`,
	}
	var by string
	var asJSON bool
	var gate shadow.Gate
	start := &cobra.Command{
		Use:   "start <file|version>",
		Short: "Bắt đầu chạy bóng (start shadowing; a file is stored first)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := operatorService(cmd.Context(), e)
			if err != nil {
				return err
			}
			label, err := storeRef(cmd, e, svc.Pipelines, args[0], by)
			if err != nil {
				return err
			}
			c, err := svc.Shadow.Start(cmd.Context(), label, operator(e, by))
			if err != nil {
				return err
			}
			printf(e.stdout, "Đang chạy bóng %s (shadow started) — các worker đang chạy sẽ nhận trong lần hồ sơ tiếp theo.\n", c.Label)
			return nil
		},
	}
	stop := &cobra.Command{
		Use:   "stop",
		Short: "Dừng chạy bóng; kết quả được giữ lại (stop; results are kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := operatorService(cmd.Context(), e)
			if err != nil {
				return err
			}
			c, err := svc.Shadow.Stop(cmd.Context(), operator(e, by))
			if err != nil {
				return err
			}
			printf(e.stdout, "Đã dừng chạy bóng %s (stopped)\n", c.Label)
			return nil
		},
	}
	report := &cobra.Command{
		Use:   "report [version]",
		Short: "So sánh ứng viên với bản đang chạy và quyết định của cán bộ (diff; the promotion gate)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := operatorService(cmd.Context(), e)
			if err != nil {
				return err
			}
			label := ""
			if len(args) == 1 {
				v, err := svc.Pipelines.Get(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				label = v.Label
			}
			rep, err := svc.Shadow.Report(cmd.Context(), label, gate)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSONOut(e, rep); err != nil {
					return err
				}
			} else {
				printShadow(e, rep)
			}
			if !rep.Pass {
				return exitError{code: 3}
			}
			return nil
		},
	}
	report.Flags().Float64Var(&gate.Tolerance, "tolerance", shadow.DefaultGate.Tolerance, "độ giảm cho phép của precision/recall (allowed drop)")
	report.Flags().IntVar(&gate.MinDecided, "min-decided", shadow.DefaultGate.MinDecided, "số quyết định của cán bộ tối thiểu (least officials' decisions)")
	report.Flags().Float64Var(&gate.MinAgreement, "min-agreement", shadow.DefaultGate.MinAgreement, "mức đồng thuận tối thiểu với bản đang chạy, 0 = không xét (least agreement)")
	cmd.PersistentFlags().StringVar(&by, "by", "", "người thực hiện (operator; default $USER)")
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	cmd.AddCommand(start, stop, report)
	return cmd
}

func printShadow(e *env, r shadow.Report) {
	w := e.stdout
	fmt.Fprintf(w, "Ứng viên (candidate): %s\nBản đang chạy (production): %v\n", r.Candidate, r.ProductionVersion)
	fmt.Fprintf(w, "Hồ sơ chạy bóng (dossiers): %d, lỗi (failed runs): %d\n", r.Dossiers, r.Failed)
	fmt.Fprintf(w, "Đồng thuận kết luận (finding agreement): %.3f trên %d kết luận\n", r.Agreement, r.Findings)
	fmt.Fprintf(w, "Đồng thuận phân loại (classification agreement): %.3f trên %d giấy tờ\n", r.ClassAgreement, r.Documents)
	if r.Cited > 0 {
		fmt.Fprintf(w, "Đồng thuận trích dẫn (citation agreement): %.3f trên %d kết luận có trích dẫn\n", r.CitationAgreement, r.Cited)
	}
	if r.AICalls > 0 {
		fmt.Fprintf(w, "Gọi mô hình AI của bản thử (candidate AI calls, own budget): %d, %d token, %d từ bộ nhớ đệm (cached)\n", r.AICalls, r.AITokens, r.AICached)
	}
	fmt.Fprintf(w, "Quyết định của cán bộ (officials' decisions): %d; đề xuất mới chưa có quyết định: %d\n", r.Decided, r.NewUndecided)
	fmt.Fprintf(w, "                 precision  recall  TP  FP  FN\n")
	fmt.Fprintf(w, "  production     %9.3f  %6.3f  %2d  %2d  %2d\n", r.Production.Precision, r.Production.Recall, r.Production.TP, r.Production.FP, r.Production.FN)
	fmt.Fprintf(w, "  candidate      %9.3f  %6.3f  %2d  %2d  %2d\n", r.CandidateScore.Precision, r.CandidateScore.Recall, r.CandidateScore.TP, r.CandidateScore.FP, r.CandidateScore.FN)
	if len(r.TopDifferences) > 0 {
		fmt.Fprintln(w, "Khác biệt nhiều nhất (top differences: key, production → candidate, count):")
		for _, d := range r.TopDifferences {
			fmt.Fprintf(w, "  %-50s %s → %s  ×%d\n", cut(d.Key, 50), d.Production, d.Candidate, d.Count)
		}
	}
	if r.Pass {
		fmt.Fprintln(w, "ĐẠT: có thể kích hoạt (PASS: may be promoted)")
	} else {
		fmt.Fprintln(w, "KHÔNG ĐẠT (FAIL):")
		for _, x := range r.Reasons {
			fmt.Fprintln(w, "  - "+x)
		}
	}
}
