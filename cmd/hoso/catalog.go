package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/workcal"
	"gopkg.in/yaml.v3"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/catalog"
)

func init() { register(newCatalogCmd) }

func newCatalogCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Danh mục thủ tục hành chính (procedure catalog)",
		Long: `Nhập, tra cứu và kiểm tra danh mục thủ tục hành chính cùng thành phần hồ sơ.

Import, browse and validate the catalog of administrative procedures and their
required dossier components (thành phần hồ sơ).`,
	}
	cmd.AddCommand(newCatalogImportCmd(e), newCatalogListCmd(e), newCatalogShowCmd(e),
		newCatalogSearchCmd(e), newCatalogValidateCmd(e), newCatalogReadCmd(e))
	return cmd
}

func newCatalogImportCmd(e *env) *cobra.Command {
	var effective, overrides string
	var jsonOut, quiet bool
	cmd := &cobra.Command{
		Use:   "import [file.jsonl|dir]",
		Short: "Nhập dữ liệu thủ tục quốc gia (import the national procedure data)",
		Long: `Nhập tệp procedures.jsonl (hoặc một thư mục) thành các phiên bản thủ tục có
thành phần hồ sơ đã tách, rồi áp dụng các tệp ghi đè YAML. Không có đối số thì
dùng ../shared/data/dvc-procedures-2026/procedures.jsonl nếu có, ngược lại
data/procedures/.

Import procedures.jsonl (or a directory) as procedure versions with parsed
requirements, then apply the operators' YAML overrides. Re-importing identical
content changes nothing.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			src := ""
			if len(args) == 1 {
				src = args[0]
			} else if d := e.sharedDataDir(); d != "" {
				src = filepath.Join(d, "dvc-procedures-2026", "procedures.jsonl")
			} else {
				src = "data/procedures"
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			st := catalog.NewStore(pool)
			if effective != "" {
				t, err := time.Parse(time.DateOnly, effective)
				if err != nil {
					return fmt.Errorf("--effective: cần ngày YYYY-MM-DD (need a date): %w", err)
				}
				st.ImportEffective = t
			}
			var progress = e.stderr
			if quiet {
				progress = nil
			}
			rep, err := st.Import(ctx, src, progress)
			if err != nil {
				return err
			}
			applied := 0
			if overrides != "" {
				if _, err := os.Stat(overrides); err == nil {
					if applied, err = st.ApplyOverrides(ctx, overrides); err != nil {
						return err
					}
				}
			}
			if jsonOut {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			w := e.stdout
			printf(w, "Đã đọc %d thủ tục từ %s (read %d procedures)\n", rep.Total, strings.Join(rep.Files, ", "), rep.Total)
			printf(w, "  phiên bản mới (new versions):         %d\n", rep.Inserted)
			printf(w, "  không đổi (unchanged):                %d\n", rep.Unchanged)
			printf(w, "  thành phần hồ sơ (requirements):      %d\n", rep.Requirements)
			printf(w, "  cần rà soát (needs review):           %d\n", rep.NeedsReview)
			printf(w, "  không có thành phần hồ sơ (empty):    %d %s\n", len(rep.Empty), strings.Join(rep.Empty, " "))
			printf(w, "  tệp ghi đè đã áp dụng (overrides):    %d\n", applied)
			printf(w, "  thời gian (duration):                 %s\n", rep.Duration.Round(time.Millisecond))
			if len(rep.Failures) > 0 {
				printf(w, "Lỗi (failures): %d\n", len(rep.Failures))
				for _, f := range rep.Failures {
					printf(w, "  %s:%d %s %s\n", f.File, f.Line, f.Code, f.Reason)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&effective, "effective", "", "ngày hiệu lực của phiên bản nhập, YYYY-MM-DD (effective date of imported versions; default 2025-07-01)")
	cmd.Flags().StringVar(&overrides, "overrides", "pipelines/catalog", "thư mục tệp ghi đè YAML (override directory; skipped when absent)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in báo cáo dạng JSON (print the report as JSON)")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "không hiện thanh tiến độ (no progress bar)")
	return cmd
}

func newCatalogListCmd(e *env) *cobra.Command {
	var f catalog.ListFilter
	var review, jsonOut bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê thủ tục (list procedures)",
		Long:  "Liệt kê thủ tục đang có hiệu lực, lọc theo lĩnh vực, cấp, bộ.\n\nList the procedures in force, filtered by field, level or ministry.",
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("needs-review") {
				f.NeedsReview = &review
			}
			ps, err := catalog.NewStore(pool).List(cmd.Context(), f)
			if err != nil {
				return err
			}
			return printProcedures(e, ps, jsonOut)
		},
	}
	cmd.Flags().StringVar(&f.Field, "field", "", "lĩnh vực (field), e.g. \"Hộ tịch\"")
	cmd.Flags().StringVar(&f.Level, "level", "", "cấp thực hiện (level), e.g. \"Cấp xã\"")
	cmd.Flags().StringVar(&f.Ministry, "ministry", "", "bộ, ngành (ministry)")
	cmd.Flags().BoolVar(&review, "needs-review", false, "chỉ thủ tục cần rà soát (only those flagged for review)")
	cmd.Flags().IntVar(&f.Limit, "limit", 50, "số dòng tối đa (max rows)")
	cmd.Flags().IntVar(&f.Offset, "offset", 0, "bỏ qua (skip rows)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON (print JSON)")
	return cmd
}

func newCatalogSearchCmd(e *env) *cobra.Command {
	var limit int
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "search <từ khóa…>",
		Short: "Tìm thủ tục, không phân biệt dấu (search procedures, accent-insensitive)",
		Long:  "Tìm thủ tục theo mã, tên hoặc lĩnh vực; gõ có dấu hay không dấu đều được.\n\nSearch procedures by code, name or field, with or without diacritics.",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			ps, err := catalog.NewStore(pool).Search(cmd.Context(), strings.Join(args, " "), limit)
			if err != nil {
				return err
			}
			return printProcedures(e, ps, jsonOut)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "số kết quả tối đa (max results)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON (print JSON)")
	return cmd
}

func printProcedures(e *env, ps []catalog.Procedure, jsonOut bool) error {
	if jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ps)
	}
	if len(ps) == 0 {
		printf(e.stdout, "Không tìm thấy thủ tục nào (no procedures found).\n")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ THỦ TỤC\tTÊN THỦ TỤC\tLĨNH VỰC\tCẤP\tGIẤY TỜ\tRÀ SOÁT")
	for _, p := range ps {
		review := ""
		if p.NeedsReview {
			review = "cần rà soát"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", p.Code, truncate(p.Name, 70), truncate(p.Field, 30), p.Level, len(p.Requirements), review)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	printf(e.stdout, "%d thủ tục (procedures)\n", len(ps))
	return nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func newCatalogShowCmd(e *env) *cobra.Command {
	var jsonOut bool
	var at string
	cmd := &cobra.Command{
		Use:   "show <mã thủ tục>",
		Short: "Xem một thủ tục và thành phần hồ sơ (show a procedure and its requirements)",
		Long: `Xem phiên bản thủ tục có hiệu lực vào một ngày (mặc định hôm nay).

Show the version of a procedure in force on a date (today by default); --json
prints the contract fields (code, name, requirements[], legal_basis[]) and the
structure: cases[] (key, name, requirement keys), groups[] (one-of groups with
their options) and uncertain[] (what the parser could not split, with why);
each requirement carries the key of its case ("case", empty when it applies in
every case).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			when := time.Now()
			if at != "" {
				t, err := time.Parse(time.DateOnly, at)
				if err != nil {
					return fmt.Errorf("--at: cần ngày YYYY-MM-DD (need a date): %w", err)
				}
				when = t
			}
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			p, err := catalog.NewStore(pool).Get(cmd.Context(), args[0], when)
			if err != nil {
				return err
			}
			if jsonOut {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(p)
			}
			printProcedure(e, p)
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON (print JSON)")
	cmd.Flags().StringVar(&at, "at", "", "ngày hiệu lực YYYY-MM-DD (version in force on this date)")
	return cmd
}

func printProcedure(e *env, p *catalog.Procedure) {
	w := e.stdout
	printf(w, "%s  %s\n", p.Code, p.Name)
	printf(w, "Lĩnh vực: %s · Cấp: %s · %s\n", p.Field, p.Level, p.Ministry)
	if p.Agency != "" {
		printf(w, "Cơ quan thực hiện: %s\n", p.Agency)
	}
	if p.ProcessingTime != "" {
		printf(w, "Thời hạn giải quyết: %s\n", p.ProcessingTime)
	}
	if p.Fees != "" {
		printf(w, "Phí, lệ phí: %s\n", p.Fees)
	}
	if p.Result != "" {
		printf(w, "Kết quả: %s\n", p.Result)
	}
	printf(w, "Phiên bản %d, hiệu lực từ %s, nguồn: %s\n", p.Version, p.EffectiveFrom.Format("02/01/2006"), p.Source)
	if p.NeedsReview {
		printf(w, "CẦN RÀ SOÁT: %s\n", strings.Join(p.ReviewReasons, "; "))
	}
	printf(w, "\nThành phần hồ sơ (%d):\n", len(p.Requirements))
	for i, r := range p.Requirements {
		kind := "Nộp"
		if r.Kind == catalog.KindPresent {
			kind = "Xuất trình"
		}
		printf(w, "%2d. [%s] %s — %d bản chính, %d bản sao\n", i+1, kind, r.Name, r.Originals, r.Copies)
		if r.Form != nil {
			printf(w, "    Mẫu: %s\n", *r.Form)
		}
		if r.Condition != nil {
			printf(w, "    Áp dụng khi: %s\n", *r.Condition)
		}
		for _, a := range r.Alternatives {
			printf(w, "    Có thể thay bằng: %s\n", a)
		}
		if r.ElectronicSubstitute != nil {
			printf(w, "    Bản điện tử: %s\n", *r.ElectronicSubstitute)
		}
		printf(w, "    khóa %s · %s · độ tin cậy %.2f\n", r.Key, r.Method, r.Confidence)
	}
	if len(p.Cases) > 0 {
		printf(w, "\nTrường hợp (cases, %d):\n", len(p.Cases))
		for _, c := range p.Cases {
			printf(w, "  %s  %s: %s\n", c.Key, truncate(c.Name, 100), strings.Join(c.Requirements, ", "))
		}
	}
	for _, u := range p.Uncertain {
		printf(w, "Chưa chắc chắn (uncertain): %s\n", u)
	}
	if len(p.LegalBasis) > 0 {
		printf(w, "\nCăn cứ pháp lý:\n")
		for _, d := range p.LegalBasis {
			printf(w, "  - %s: %s\n", d.Number, truncate(d.Title, 120))
		}
	}
	if len(p.Linked) > 0 {
		printf(w, "\nThủ tục liên quan: %s\n", strings.Join(p.Linked, ", "))
	}
}

func newCatalogValidateCmd(e *env) *cobra.Command {
	var procedures string
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "validate [tệp.yaml|thư mục]…",
		Short: "Kiểm tra tệp ghi đè YAML, hoặc cấu trúc thành phần hồ sơ (validate overrides, or the parsed structure)",
		Long: `Có đối số: kiểm tra các tệp ghi đè/thủ tục viết tay (YAML); lỗi nêu rõ trường sai.
Không đối số: tách toàn bộ tệp thủ tục quốc gia và liệt kê các thủ tục có cấu trúc
chưa chắc chắn (ô nhiều giấy tờ không tách được, không nhận ra dòng giấy tờ…) kèm
lý do, rồi đếm số thủ tục có trường hợp (cases) và số thủ tục chưa chắc chắn.

With files: validate operator override or hand-written procedure files; errors
name the bad field; exits non-zero when any file is invalid. Without files:
parse the whole national procedure file (--procedures; by default
../shared/data/dvc-procedures-2026/procedures.jsonl when present, else
data/procedures/procedures.jsonl), list the procedures whose structure is
uncertain with the reason, and count those with cases and the uncertain ones.
Needs no database.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return validateStructure(e, procedures, jsonOut)
			}
			var files []string
			for _, a := range args {
				st, err := os.Stat(a)
				if err != nil {
					return err
				}
				if st.IsDir() {
					for _, pat := range []string{"*.yaml", "*.yml"} {
						m, _ := filepath.Glob(filepath.Join(a, pat))
						files = append(files, m...)
					}
				} else {
					files = append(files, a)
				}
			}
			bad := 0
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err == nil {
					err = catalog.ValidateOverride(data)
				}
				if err != nil {
					bad++
					printf(e.stdout, "LỖI  %s: %v\n", f, err)
					continue
				}
				printf(e.stdout, "HỢP LỆ  %s\n", f)
			}
			if bad > 0 {
				return exitError{code: 1, msg: fmt.Sprintf("%d/%d tệp không hợp lệ (invalid files)", bad, len(files))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&procedures, "procedures", "", "tệp thủ tục quốc gia khi không có đối số (national procedure file when no files are given)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in báo cáo cấu trúc dạng JSON (print the structure report as JSON)")
	return cmd
}

// structureReport is `hoso catalog validate --json` without files.
type structureReport struct {
	Source    string               `json:"source"`
	Total     int                  `json:"procedures"`
	WithCases int                  `json:"with_cases"`
	Uncertain int                  `json:"uncertain"`
	Groups    int                  `json:"with_alternative_groups"`
	Items     []structureUncertain `json:"uncertain_procedures"`
}

type structureUncertain struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Reasons []string `json:"reasons"`
}

// nationalFile is --procedures, else the shared data's national file when
// present, else the repository's subset.
func nationalFile(e *env, src string) string {
	if src != "" {
		return src
	}
	src = "data/procedures/procedures.jsonl"
	if d := e.sharedDataDir(); d != "" {
		if p := filepath.Join(d, "dvc-procedures-2026", "procedures.jsonl"); fileExists(p) {
			src = p
		}
	}
	return src
}

func newCatalogReadCmd(e *env) *cobra.Command {
	var procedures, pipeline string
	var jsonOut, override bool
	cmd := &cobra.Command{
		Use:   "read <mã thủ tục>…",
		Short: "Đọc thành phần hồ sơ bằng mô hình đã cấu hình, để so với bộ tách (read components with the configured model)",
		Long: `Đọc phần thành phần hồ sơ của thủ tục trong tệp thủ tục quốc gia bằng mô hình
phục vụ tác vụ catalog_parse (prompt catalog_parse_v2: trường hợp, giấy tờ,
nhóm thay thế), rồi in kết quả như "catalog show" để người vận hành so với kết
quả của bộ tách theo quy tắc. Không ghi gì vào cơ sở dữ liệu: muốn dùng thì
viết tệp hiệu chỉnh pipelines/catalog/<mã>.yaml. Cần endpoint OpenAI-compatible
(OPENAI_BASE_URL …); khi catalog_parse chạy cục bộ lệnh báo lỗi.

Reads the procedures' component text from the national file (--procedures)
with the model serving catalog_parse and prints the reading like "catalog
show", beside nothing stored: an operator compares it with the rule parse and
adopts it by writing an override. Needs a configured endpoint.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := e.config()
			if err != nil {
				return err
			}
			if pipeline == "" {
				pipeline = cfg.Pipeline
			}
			def, err := pipelinedef.Load(pipeline)
			if err != nil {
				return err
			}
			ai, err := llm.New(cfg, nil, llm.TaskConfigs(def), e.logger(), llm.OptionsFrom(cfg)...)
			if err != nil {
				return err
			}
			reader := service.CatalogReader(ai)
			if reader == nil {
				return errors.New("tác vụ catalog_parse đang chạy cục bộ; cần cấu hình endpoint mô hình (catalog_parse is served locally: configure a model endpoint, see hoso env)")
			}
			src := nationalFile(e, procedures)
			want := map[string]bool{}
			for _, c := range args {
				want[c] = true
			}
			ps, err := catalog.ParseNationalFile(src, want)
			if err != nil {
				return fmt.Errorf("đọc tệp thủ tục (read procedures) %s: %w", src, err)
			}
			read, failed := catalog.ReadAll(cmd.Context(), reader, ps, args)
			for _, code := range args {
				p, ok := read[code]
				if !ok {
					return fmt.Errorf("không có thủ tục %s trong %s (no such procedure in the file)", code, src)
				}
				if why, bad := failed[code]; bad {
					return fmt.Errorf("mô hình không đọc được %s (the model failed): %s", code, why)
				}
				switch {
				case override:
					// A draft for the operator: reviewed, edited, then
					// committed as pipelines/catalog/<code>.yaml.
					o := catalog.OverrideOf(p, time.Now().In(workcal.Location), "Bản đọc của mô hình (catalog_parse_v2), cần người rà soát trước khi dùng (model reading: review before use)")
					b, err := yaml.Marshal(o)
					if err != nil {
						return err
					}
					printf(e.stdout, "# hoso catalog read %s --override: bản nháp (draft)\n%s", code, b)
					continue
				case jsonOut:
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(p); err != nil {
						return err
					}
					continue
				}
				printProcedure(e, &p)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&procedures, "procedures", "", "tệp thủ tục quốc gia (national procedure file)")
	cmd.Flags().StringVar(&pipeline, "pipeline", "", "định nghĩa pipeline (pipeline definition file; default: configured)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON (print JSON)")
	cmd.Flags().BoolVar(&override, "override", false, "in bản nháp tệp hiệu chỉnh YAML để rà soát (print a draft override to review)")
	return cmd
}

func validateStructure(e *env, src string, jsonOut bool) error {
	src = nationalFile(e, src)
	ps, err := catalog.ParseNationalFile(src, nil)
	if err != nil {
		return fmt.Errorf("đọc tệp thủ tục (read procedures) %s: %w", src, err)
	}
	codes := make([]string, 0, len(ps))
	for c := range ps {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	rep := structureReport{Source: src, Total: len(ps), Items: []structureUncertain{}}
	for _, c := range codes {
		p := ps[c]
		if len(p.Cases) > 0 {
			rep.WithCases++
		}
		if len(p.Groups) > 0 {
			rep.Groups++
		}
		if len(p.Uncertain) > 0 {
			rep.Uncertain++
			rep.Items = append(rep.Items, structureUncertain{Code: p.Code, Name: p.Name, Reasons: p.Uncertain})
		}
	}
	if jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	for _, it := range rep.Items {
		printf(e.stdout, "CHƯA CHẮC CHẮN  %s  %s\n", it.Code, truncate(it.Name, 80))
		for _, r := range it.Reasons {
			printf(e.stdout, "    - %s\n", truncate(r, 200))
		}
	}
	printf(e.stdout, "\nNguồn (source): %s\n", rep.Source)
	printf(e.stdout, "Thủ tục (procedures):                          %d\n", rep.Total)
	printf(e.stdout, "Có trường hợp (with cases):                    %d\n", rep.WithCases)
	printf(e.stdout, "Có nhóm giấy tờ thay thế (with one-of groups): %d\n", rep.Groups)
	printf(e.stdout, "Cấu trúc chưa chắc chắn (uncertain):           %d\n", rep.Uncertain)
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
