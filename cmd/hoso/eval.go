package main

import (
	"bytes"
	"fmt"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/evals"
	"github.com/hoso-vn/hoso/evals/dossiergen"
)

func init() { register(newEvalCmd) }

func newEvalCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Đánh giá độ chính xác từng bước, báo cáo và cổng hồi quy (evaluation suites, reports, regression gate)",
		Long: `Chạy các bộ đánh giá ngoại tuyến trong evals/suites: tách danh mục, tìm điều khoản,
trích xuất, phân loại, trường thông tin, tính đầy đủ, trích dẫn, kiểm tra trước trọn
quy trình và chống chèn lệnh. Xem evals/README.md.

Runs the offline evaluation suites of evals/suites and writes HTML, JSON and
Markdown reports; exits non-zero when a metric falls below its threshold or
below the baseline by more than the tolerance. See evals/README.md.`,
	}
	cmd.AddCommand(newEvalListCmd(e), newEvalRunCmd(e), newEvalGenCmd(e), newEvalHarvestCmd(e))
	return cmd
}

// evalRoot finds the repository root (evals/suites, data/) from the
// working directory.
func evalRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := evals.RepoRoot(wd)
	if err != nil {
		return "", fmt.Errorf("chạy trong thư mục kho mã hoso (run inside the hoso repository): %w", err)
	}
	return root, nil
}

func newEvalListCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Liệt kê các bộ đánh giá (list the suites)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root, err := evalRoot()
			if err != nil {
				return err
			}
			suites, err := evals.LoadSuites(filepath.Join(root, "evals", "suites"))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "BỘ (suite)\tBƯỚC (stage)\tCẦN (needs)\tNGƯỠNG (thresholds)\tMÔ TẢ (title)")
			for _, s := range suites {
				var th bytes.Buffer
				for k, v := range s.Thresholds {
					if th.Len() > 0 {
						th.WriteString(", ")
					}
					fmt.Fprintf(&th, "%s=%g", k, v)
				}
				need := s.Requires
				if need == "" {
					need = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, s.Stage, need, th.String(), s.Title)
			}
			return tw.Flush()
		},
	}
}

func newEvalRunCmd(e *env) *cobra.Command {
	var pipeline, reportPath, jsonOut, mdOut, baselinePath string
	var failUnder []string
	var tolerance float64
	var asJSON, full bool
	cmd := &cobra.Command{
		Use:   "run <suite|all>",
		Short: "Chạy bộ đánh giá, ghi báo cáo, áp cổng hồi quy (run suites, write reports, apply the gate)",
		Long: `Chạy một bộ, vài bộ (cách nhau bằng dấu phẩy) hoặc all. Các bộ cần cơ sở dữ liệu
tạo schema riêng eval_<…> trên DATABASE_URL rồi xóa khi xong; NATS chạy nhúng.

--fail-under suite.metric=value (lặp lại được; ví dụ classification.accuracy=0.9
hoặc 90%) ghi đè ngưỡng trong YAML; với chỉ số "càng thấp càng tốt" (CER, độ trễ)
đó là mức cao nhất cho phép. --baseline prev.json so sánh với lần chạy trước:
chỉ số nào kém hơn mốc quá --tolerance (tuyệt đối với tỷ lệ, tương đối với đơn
vị khác) thì cổng không đạt và lệnh thoát mã 3.

Runs one suite, a comma-separated list, or all. Database-backed suites use a
schema of their own on DATABASE_URL, dropped afterwards; NATS is embedded.
--fail-under overrides the YAML thresholds; --baseline compares with a
previous JSON report. A failed gate exits with code 3.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			root, err := evalRoot()
			if err != nil {
				return err
			}
			cfg, err := e.config()
			if err != nil {
				return err
			}
			all, err := evals.LoadSuites(filepath.Join(root, "evals", "suites"))
			if err != nil {
				return err
			}
			suites, err := evals.Select(all, args[0])
			if err != nil {
				return err
			}
			var extra []evals.Threshold
			for _, f := range failUnder {
				t, err := evals.ParseThreshold(f)
				if err != nil {
					return err
				}
				extra = append(extra, t)
			}
			var baseline *evals.Report
			if baselinePath != "" {
				if baseline, err = evals.LoadReport(baselinePath); err != nil {
					return err
				}
			}
			if pipeline == "" {
				pipeline = cfg.Pipeline
			}
			log := e.logger()
			if !cfg.IsSet("HOSO_LOG_LEVEL") {
				// The pipeline's per-document info logs would bury the
				// progress bar; warnings and errors still show.
				log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			}
			def, err := pipelinedef.Load(pipeline)
			if err != nil {
				return err
			}
			// A model that serves catalog_parse under this definition is
			// scored on the catalog gold beside the rules (no ledger: pool nil).
			ai, err := llm.New(cfg, nil, llm.TaskConfigs(def), log, append(llm.OptionsFrom(cfg), llm.WithScope(llm.ScopeEval))...)
			if err != nil {
				log.Warn("no model reading of the catalog gold: the AI endpoint is not usable", "error", err)
				ai = nil
			}
			rep, err := evals.Run(ctx, evals.Options{
				Root: root, SharedData: evals.SharedDataDir(root, cfg.SharedData), PipelinePath: pipeline, Definition: def,
				CatalogReader: service.CatalogReader(ai),
				DatabaseURL:   cfg.DatabaseURL, KeepSchema: cfg.EvalKeepSchema, Full: full, Progress: e.stderr, Log: log,
			}, suites)
			if err != nil {
				return err
			}
			rep.Baseline = baseline
			rep.Gate = evals.Evaluate(rep, suites, extra, baseline, tolerance)
			write := func(path string, f func(*bytes.Buffer) error) error {
				if path == "" {
					return nil
				}
				var buf bytes.Buffer
				if err := f(&buf); err != nil {
					return err
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				return os.WriteFile(path, buf.Bytes(), 0o644)
			}
			if err := write(reportPath, func(b *bytes.Buffer) error { return evals.WriteHTML(b, rep) }); err != nil {
				return err
			}
			if err := write(jsonOut, func(b *bytes.Buffer) error {
				cp := *rep
				cp.Baseline = nil // a report written here can serve as the next baseline
				return evals.WriteJSON(b, &cp)
			}); err != nil {
				return err
			}
			if err := write(mdOut, func(b *bytes.Buffer) error { return evals.WriteMarkdown(b, rep) }); err != nil {
				return err
			}
			if asJSON {
				if err := evals.WriteJSON(e.stdout, rep); err != nil {
					return err
				}
			} else if err := evals.WriteMarkdown(e.stdout, rep); err != nil {
				return err
			}
			if !rep.Gate.Passed {
				return exitError{code: 3, msg: rep.Gate.Summary()}
			}
			fmt.Fprintln(e.stderr, rep.Gate.Summary())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&pipeline, "pipeline", "", "tệp định nghĩa pipeline (pipeline definition; default HOSO_PIPELINE or the embedded default)")
	f.BoolVar(&asJSON, "json", false, "in báo cáo JSON ra stdout (print the JSON report)")
	f.StringVar(&reportPath, "report", "", "ghi báo cáo HTML (write the HTML report)")
	f.StringVar(&jsonOut, "json-out", "", "ghi báo cáo JSON, dùng làm mốc lần sau (write the JSON report, a future baseline)")
	f.StringVar(&mdOut, "markdown", "", "ghi tóm tắt Markdown (write the Markdown summary)")
	f.StringVar(&baselinePath, "baseline", "", "báo cáo JSON lần trước để so sánh (previous JSON report to compare with)")
	f.StringArrayVar(&failUnder, "fail-under", nil, "ngưỡng suite.metric=value, lặp lại được (threshold; repeatable)")
	f.Float64Var(&tolerance, "tolerance", 0.01, "dung sai so với mốc (tolerance against the baseline)")
	f.BoolVar(&full, "full", false, "chạy e2e trên toàn bộ 500 hồ sơ (run e2e on all 500 dossiers)")
	return cmd
}

func newEvalGenCmd(e *env) *cobra.Command {
	var out string
	var n, scans int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Sinh hồ sơ có nhãn để đánh giá (generate labelled dossiers)",
		Long: `Sinh hồ sơ giả lập có nhãn (PDF có phông tiếng Việt nhúng, vài ảnh quét, lỗi cố ý)
trên 9 thủ tục thật; mỗi hồ sơ một thư mục với label.json, và dossiers.json chung.

Generates labelled synthetic dossiers over 9 real procedures: PDFs with a
Vietnamese font embedded, a few noisy scans, deliberate faults; one directory
per dossier with label.json, plus an index dossiers.json. Seeded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root, err := evalRoot()
			if err != nil {
				return err
			}
			ds, err := dossiergen.Generate(dossiergen.Options{Seed: seed, N: n, Root: root, Scans: scans})
			if err != nil {
				return err
			}
			var r dossiergen.Renderer
			bar := progressBar(e, len(ds))
			err = dossiergen.Write(out, ds, func(f dossiergen.File) ([]byte, error) {
				return r.File(cmd.Context(), "", f)
			}, func() { _ = bar.Add(1) })
			_ = bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "đã sinh %d hồ sơ vào %s (generated %d dossiers in %s)\n", len(ds), out, len(ds), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "evals/out/dossiers", "thư mục đích (output directory)")
	f.IntVar(&n, "n", 500, "số hồ sơ (dossiers)")
	f.Uint64Var(&seed, "seed", 1, "hạt giống (seed)")
	f.IntVar(&scans, "scans", 0, "số hồ sơ có một trang quét (dossiers with a scanned page; default n/100, -1 none)")
	return cmd
}

func progressBar(e *env, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionShowCount(),
		progressbar.OptionSetDescription("sinh hồ sơ / generating"), progressbar.OptionClearOnFinish())
}
