package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// agencyNames maps agency codes to names for display; a lookup failure
// shows codes.
func agencyNames(ctx context.Context, pool *pgxpool.Pool) map[string]string {
	m, err := agency.NewStore(pool).Names(ctx)
	if err != nil {
		return nil
	}
	return m
}

// agencyLabel is "UBND phường Ba Đình (ubnd-phuong-ba-dinh)", or the code
// when the agencies table lacks it.
func agencyLabel(names map[string]string, code string) string {
	if n := names[code]; n != "" {
		return n + " (" + code + ")"
	}
	return code
}

func init() { register(newStatusCmd); register(newDossiersCmd) }

func newStatusCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status <dossier-id>",
		Short: "Xem báo cáo kiểm tra trước của một hồ sơ (show a dossier's pre-check report)",
		Long: `In báo cáo kiểm tra trước: hồ sơ, giấy tờ (loại, độ tin cậy, trạng thái trích xuất),
kết luận (có/thiếu/không hợp lệ, căn cứ pháp lý), đề xuất và dòng thời gian các bước.
--json in đúng cấu trúc của GET /api/v1/dossiers/{id}.

Prints the pre-check report: dossier, documents, findings with citations,
suggestions and the stage timeline. --json prints the API's JSON shape.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := report.Load(cmd.Context(), pool, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, rep)
			}
			printReport(e.stdout, rep, agencyNames(cmd.Context(), pool))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return cmd
}

func printReport(w io.Writer, r dossier.Report, agencies map[string]string) {
	d := r.Dossier
	fmt.Fprintf(w, "Hồ sơ %s — thủ tục %s %s\n", d.ID, d.ProcedureCode, d.ProcedureName)
	fmt.Fprintf(w, "Người nộp: %s · Cơ quan: %s · Nộp lúc: %s · Trạng thái: %s (%s)\n\n",
		d.ApplicantID, agencyLabel(agencies, d.Agency), workcal.Show(d.SubmittedAt, "vi"), statusVI(d.Status), d.Status)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GIẤY TỜ\tLOẠI (thành phần)\tTIN CẬY\tTRÍCH XUẤT\tTRANG")
	for _, doc := range r.Documents {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%d\n", doc.DisplayName, cut(doc.Type, 40), doc.Confidence, doc.ExtractionStatus, doc.Pages)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KẾT LUẬN\tYÊU CẦU\tCĂN CỨ")
	// What the counter acts on first; not-applicable requirements on one line.
	findings := slices.Clone(r.Findings)
	slices.SortStableFunc(findings, func(a, b dossier.Finding) int {
		return cmp.Compare(dossier.FindingRank(a.Status), dossier.FindingRank(b.Status))
	})
	na := 0
	for _, f := range findings {
		if f.Status == dossier.FindingNotApplicable {
			na++
			continue
		}
		cite := ""
		if len(f.Citations) > 0 {
			cite = f.Citations[0].Ref()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", statusVI(f.Status), cut(f.Requirement, 70), cite)
	}
	if na > 0 {
		fmt.Fprintf(tw, "%s\t%d yêu cầu (%d requirements do not apply)\t\n", statusVI(dossier.FindingNotApplicable), na, na)
	}
	tw.Flush()
	if len(r.Suggestions) > 0 {
		fmt.Fprintln(w, "\nĐỀ XUẤT (chờ cán bộ duyệt trước khi gửi công dân):")
		for _, s := range r.Suggestions {
			fmt.Fprintf(w, "  [%s] %s — %s\n", s.Status, s.ID, cut(s.Text, 140))
		}
	}
	if len(r.Timeline) > 0 {
		var parts []string
		for _, t := range r.Timeline {
			parts = append(parts, fmt.Sprintf("%s %dms", t.Stage, t.FinishedAt.Sub(t.StartedAt).Milliseconds()))
		}
		fmt.Fprintf(w, "\nCác bước: %s\n", strings.Join(parts, " → "))
	}
}

func statusVI(s string) string {
	switch s {
	case dossier.FindingPresent:
		return "có"
	case dossier.FindingMissing:
		return "THIẾU"
	case dossier.FindingInvalid:
		return "KHÔNG HỢP LỆ"
	case dossier.FindingNotApplicable:
		return "không áp dụng"
	case dossier.FindingSatisfiedByReuse:
		return "dùng lại (đã có)"
	case dossier.FindingNeedsReview:
		return "cần xem"
	case dossier.StatusReceived:
		return "đã nhận"
	case dossier.StatusProcessing:
		return "đang xử lý"
	case dossier.StatusPrechecked:
		return "đã kiểm tra trước"
	case dossier.StatusFailed:
		return "lỗi"
	case "accepted":
		return "đã tiếp nhận"
	case "draft":
		return "bản nháp"
	case "proactive":
		return "đề xuất chủ động"
	}
	return s
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func newDossiersCmd(e *env) *cobra.Command {
	var f report.Filter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "dossiers",
		Short: "Liệt kê hồ sơ (list dossiers)",
		Long:  "Liệt kê hồ sơ theo bộ lọc: trạng thái, thủ tục, cơ quan, người nộp.\n\nLists dossiers with filters.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			list, err := report.List(cmd.Context(), pool, f)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, list)
			}
			printSummaries(e.stdout, list, agencyNames(cmd.Context(), pool))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Status, "status", "", "trạng thái (status): received, processing, prechecked, failed")
	fl.StringVar(&f.Procedure, "procedure", "", "mã thủ tục (procedure code)")
	fl.StringVar(&f.Agency, "agency", "", "cơ quan (agency)")
	fl.StringVar(&f.Applicant, "applicant", "", "người nộp (applicant)")
	fl.IntVar(&f.Limit, "limit", 50, "số dòng tối đa (max rows)")
	fl.BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return cmd
}

func printSummaries(w io.Writer, list []report.Summary, agencies map[string]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HỒ SƠ\tTHỦ TỤC\tCƠ QUAN\tNỘP LÚC "+workcal.ZoneLabel("vi")+"\tGIẤY TỜ\tCÓ\tTHIẾU\tKHÔNG HỢP LỆ\tĐỀ XUẤT\tTRẠNG THÁI")
	for _, s := range list {
		name := s.ProcedureCode
		if s.ProcedureName != "" {
			name += " " + cut(s.ProcedureName, 38)
		}
		ag := s.Agency
		if n := agencies[s.Agency]; n != "" {
			ag = cut(n, 30)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", s.ID, name, ag, workcal.Clock(s.SubmittedAt), s.Documents, s.Present, s.Missing, s.Invalid, s.Suggestions, statusVI(s.Status))
	}
	tw.Flush()
}
