package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres"
)

func init() { register(newDoctorCmd) }

// doctorCheck is one line of `hoso doctor`.
type doctorCheck struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // ok | warn | fail
	Required bool   `json:"required"`
	Detail   string `json:"detail"`
}

// doctorReport is the --json output.
type doctorReport struct {
	OK        bool                 `json:"ok"`
	Pipeline  string               `json:"pipeline"`
	Providers []llm.Route          `json:"providers"`
	Endpoints []llm.EndpointStatus `json:"endpoints"`
	Checks    []doctorCheck        `json:"checks"`
}

const doctorTimeout = 3 * time.Second

func newDoctorCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Kiểm tra môi trường: nhà cung cấp AI, CSDL, pgvector, NATS, công cụ (check the environment)",
		Long: `Kiểm tra những gì hoso cần để chạy: nhà cung cấp AI phục vụ từng tác vụ và
điểm cuối có trả lời không (GET /models), PostgreSQL, pgvector, NATS JetStream
và các công cụ ngoài (pdftotext, pdftoppm, tesseract với tiếng Việt, chromium).
NATS được kiểm tra bằng cách kết nối thật: NATS_URL, hoặc máy chủ nhúng của
"hoso serve" đang chạy với HOSO_DATA_DIR. Thoát với mã khác 0 khi một thành
phần bắt buộc không hoạt động.

Checks what hoso needs: which AI provider serves each task and whether each
configured endpoint answers (GET /models), PostgreSQL, pgvector, NATS
JetStream and the external tools. NATS is checked by connecting: NATS_URL,
or the embedded server of a "hoso serve" running with HOSO_DATA_DIR. Exits
non-zero when something required is down.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runDoctor(cmd.Context(), e)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printDoctor(e, rep)
			}
			if !rep.OK {
				return exitError{code: 1, msg: "hoso doctor: một thành phần bắt buộc không hoạt động (something required is down)"}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "in kết quả dạng JSON (print JSON)")
	return cmd
}

// activeDefinition is the pipeline version activated in the database, nil
// when the database or the version cannot be read (the checks below say why).
func activeDefinition(ctx context.Context, url string) *pipelinedef.Definition {
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return nil
	}
	defer pool.Close()
	v, err := pipelinestore.New(pool).Active(ctx)
	if err != nil {
		return nil
	}
	def, err := v.Definition()
	if err != nil {
		return nil
	}
	return def
}

func runDoctor(ctx context.Context, e *env) (doctorReport, error) {
	cfg, err := e.config()
	if err != nil {
		return doctorReport{}, err
	}
	rep := doctorReport{OK: true}
	add := func(c doctorCheck) {
		if c.Status == "fail" && c.Required {
			rep.OK = false
		}
		rep.Checks = append(rep.Checks, c)
	}

	// Providers: the pipeline definition's per-task choice over the config.
	tasks := map[string]llm.TaskConfig{}
	opts := llm.OptionsFrom(cfg)
	def, err := pipelinedef.Load(cfg.Pipeline)
	active := activeDefinition(ctx, cfg.DatabaseURL)
	if active != nil { // what the workers run, not the configured file
		def, err = active, nil
	}
	if err != nil {
		add(doctorCheck{Name: "pipeline", Status: "fail", Required: true, Detail: err.Error()})
		rep.Pipeline = cfg.Pipeline
	} else {
		rep.Pipeline = def.Name + " " + def.Version
		if active != nil {
			rep.Pipeline = def.VersionLabel() + " (đang kích hoạt / active)"
		}
		tasks = llm.TaskConfigs(def)
		if def.Limits.LLMTimeout.Duration > 0 {
			opts = append(opts, llm.WithTimeout(def.Limits.LLMTimeout.Duration))
		}
	}
	client, err := llm.New(cfg, nil, tasks, e.logger(), opts...)
	if err != nil {
		add(doctorCheck{Name: "providers", Status: "fail", Required: true, Detail: err.Error()})
	} else {
		rep.Providers = client.Routes()
		rep.Endpoints = client.Ping(ctx, doctorTimeout)
		for _, st := range rep.Endpoints {
			c := doctorCheck{Name: "endpoint " + st.Name, Status: "ok", Required: true,
				Detail: fmt.Sprintf("%s: %d mô hình/models, %d ms", st.BaseURL, st.Models, st.Latency.Milliseconds())}
			if !st.OK {
				c.Status, c.Detail = "fail", st.BaseURL+": "+st.Error
			}
			add(c)
		}
	}

	add(checkDatabase(ctx, cfg))
	add(checkPgvector(ctx, cfg))
	add(checkNATS(ctx, cfg))
	for _, c := range checkTools(ctx) {
		add(c)
	}
	return rep, nil
}

func checkDatabase(ctx context.Context, cfg config.Config) doctorCheck {
	c := doctorCheck{Name: "database", Required: true}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		c.Status, c.Detail = "fail", err.Error()
		return c
	}
	defer pool.Close()
	version, err := postgres.ServerVersion(ctx, pool)
	if err != nil {
		c.Status, c.Detail = "fail", err.Error()
		return c
	}
	c.Status, c.Detail = "ok", "PostgreSQL "+version
	return c
}

func checkPgvector(ctx context.Context, cfg config.Config) doctorCheck {
	c := doctorCheck{Name: "pgvector", Required: true}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		c.Status, c.Detail = "fail", "database unreachable"
		return c
	}
	defer pool.Close()
	installed, available, err := postgres.VectorVersions(ctx, pool)
	switch {
	case err != nil:
		c.Status, c.Detail = "fail", err.Error()
	case installed != nil:
		c.Status, c.Detail = "ok", "vector "+*installed
	case available != nil:
		c.Status, c.Detail = "ok", "vector "+*available+" có sẵn, sẽ được tạo khi migrate (available; created on migrate)"
	default:
		c.Status, c.Detail = "fail", "chưa cài pgvector (not installed): run scripts/install-deps.sh"
	}
	return c
}

// checkNATS connects to the NATS the commands would use — NATS_URL, or the
// embedded server of a running `hoso serve` on HOSO_DATA_DIR — and asks
// JetStream for its account: a check that does not connect proves nothing.
func checkNATS(ctx context.Context, cfg config.Config) doctorCheck {
	c := doctorCheck{Name: "nats", Required: true}
	url, where := cfg.NATSURL, redactURL(cfg.NATSURL)
	if url == "" {
		dir := filepath.Join(cfg.DataDir, "nats")
		if url = service.RunningNATS(cfg); url == "" {
			c.Status, c.Detail = "fail", service.NoRunningSystemError(cfg).Error()
			return c
		}
		where = "embedded " + url + " (hoso serve, " + dir + ")"
	}
	nc, err := nats.Connect(url, nats.Timeout(doctorTimeout), nats.Name("hoso doctor"), nats.MaxReconnects(0))
	if err != nil {
		c.Status, c.Detail = "fail", where+": "+err.Error()
		return c
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		c.Status, c.Detail = "fail", err.Error()
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	info, err := js.AccountInfo(ctx)
	if err != nil {
		c.Status, c.Detail = "fail", where+": JetStream: "+err.Error()
		return c
	}
	c.Status = "ok"
	c.Detail = fmt.Sprintf("%s, server %s, JetStream: %d streams, %d consumers", where, nc.ConnectedServerVersion(), info.Streams, info.Consumers)
	return c
}

func redactURL(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}

// checkTools looks for the external programs. None is required: text
// extraction falls back to the in-process reader, and OCR and the console
// screenshot are optional; a missing tool is a warning.
func checkTools(ctx context.Context) []doctorCheck {
	var out []doctorCheck
	look := func(name, why string, bins ...string) (string, bool) {
		for _, b := range bins {
			if p, err := exec.LookPath(b); err == nil {
				out = append(out, doctorCheck{Name: name, Status: "ok", Detail: p})
				return p, true
			}
		}
		out = append(out, doctorCheck{Name: name, Status: "warn", Detail: "không tìm thấy (not found): " + why})
		return "", false
	}
	look("pdftotext", "trích xuất văn bản dự phòng / fallback text extraction (apt install poppler-utils)", "pdftotext")
	look("pdftoppm", "OCR cần ảnh trang / OCR needs page images (apt install poppler-utils)", "pdftoppm")
	if p, ok := look("tesseract", "OCR (apt install tesseract-ocr tesseract-ocr-vie)", "tesseract"); ok {
		cctx, cancel := context.WithTimeout(ctx, doctorTimeout)
		langs, err := exec.CommandContext(cctx, p, "--list-langs").CombinedOutput()
		cancel()
		c := doctorCheck{Name: "tesseract vie", Status: "ok", Detail: "tiếng Việt / Vietnamese model installed"}
		if err != nil || !hasLine(string(langs), "vie") {
			c.Status, c.Detail = "warn", "thiếu mô hình tiếng Việt (missing Vietnamese model): apt install tesseract-ocr-vie"
		}
		out = append(out, c)
	}
	look("chromium", "ảnh chụp bảng điều khiển, kiểm thử trình duyệt / console screenshots and browser tests", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
	return out
}

func hasLine(s, want string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == want {
			return true
		}
	}
	return false
}

func printDoctor(e *env, rep doctorReport) {
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "Quy trình / pipeline:\t%s\n\n", rep.Pipeline)
	fmt.Fprintln(w, "Tác vụ AI / AI task\tNhà cung cấp / provider\tMô hình / model\tĐiểm cuối / endpoint\tẨn PII / redact")
	for _, r := range rep.Providers {
		model, ep, red := r.Model, r.Endpoint, "-"
		if r.Provider == llm.ProviderLocal {
			model, ep = "mô hình cục bộ (local classical models)", "-"
		} else if r.Redact {
			red = "bật / on"
		} else {
			red = "tắt / off"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.Task, r.Provider, model, ep, red)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Kiểm tra / check\tTrạng thái / status\tChi tiết / detail")
	for _, c := range rep.Checks {
		st := map[string]string{"ok": "OK", "warn": "CẢNH BÁO / WARN", "fail": "LỖI / FAIL"}[c.Status]
		if c.Status == "fail" && !c.Required {
			st += " (không bắt buộc / optional)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", c.Name, st, c.Detail)
	}
	w.Flush()
	if rep.OK {
		fmt.Fprintln(e.stdout, "\nSẵn sàng. / Ready.")
	}
}
