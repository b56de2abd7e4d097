package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/regulation"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/workcal"
)

func init() { register(newPipelineCmd) }

// operator names who runs an operator command: --by, else $USER.
func operator(e *env, by string) string {
	if by != "" {
		return by
	}
	if cfg, _ := e.config(); cfg.User != "" {
		return cfg.User
	}
	return "operator"
}

// operatorService starts the service without workers, for commands that
// publish (retry, reprocess) or need every stored pipeline version. It joins
// the running system (NATS_URL or a running hoso serve) and fails at once
// when there is none.
func operatorService(ctx context.Context, e *env) (*service.Service, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), NoWorkers: true, ReconcileInterval: -1, Join: true})
	if err != nil {
		return nil, err
	}
	e.onClose(func() { shutdown(e, svc) })
	return svc, nil
}

func newPipelineCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pipeline",
		Short: "Quản lý phiên bản quy trình xử lý (pipeline versions: validate, diff, activate, rollback)",
		Long: `Định nghĩa quy trình (pipelines/*.yaml) là tài liệu có phiên bản: mỗi phiên bản được lưu
trong PostgreSQL cùng mã băm, tác giả và thời gian. Worker nhận phiên bản được kích
hoạt mà không cần khởi động lại; hồ sơ đang xử lý hoàn tất theo phiên bản đã ghi lúc
tiếp nhận. Quay lại = kích hoạt lại phiên bản trước.

Pipeline definitions are versioned artefacts stored in PostgreSQL with their
hash, author and time. Workers pick up an activated version without a restart;
dossiers in flight finish under the version recorded at intake. Rollback is
activating the previous version.`,
	}
	var by, note, reason string
	var store, asJSON, force bool
	validate := &cobra.Command{
		Use:   "validate <file>",
		Short: "Kiểm tra một định nghĩa; --store để lưu thành phiên bản (validate; --store saves it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			def, err := pipelinedef.Parse(src)
			if err != nil {
				return exitError{code: 1, msg: fmt.Sprintf("%s: %v", args[0], err)}
			}
			printf(e.stdout, "Hợp lệ (valid): %s\n", def.VersionLabel())
			printRoutes(e, def)
			if !store {
				return nil
			}
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			v, created, err := pipelinestore.New(pool).Put(cmd.Context(), src, operator(e, by), note)
			if err != nil {
				return err
			}
			if created {
				printf(e.stdout, "Đã lưu phiên bản %s (stored) bởi %s\n", v.Label, v.Author)
			} else {
				printf(e.stdout, "Phiên bản đã có (already stored): %s, lưu bởi %s lúc %s\n", v.Label, v.Author, workcal.Show(v.CreatedAt, "vi"))
			}
			return nil
		},
	}
	validate.Flags().BoolVar(&store, "store", false, "lưu thành phiên bản trong PostgreSQL (store as a version)")
	validate.Flags().StringVar(&note, "note", "", "ghi chú thay đổi (change note)")

	diff := &cobra.Command{
		Use:   "diff <file|version> [file|version]",
		Short: "So sánh với phiên bản đang chạy hoặc giữa hai phiên bản (diff against the active version)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			st := pipelinestore.New(pool)
			load := func(ref string) (*pipelinedef.Definition, error) {
				if src, err := os.ReadFile(ref); err == nil {
					return pipelinedef.Parse(src)
				}
				v, err := st.Get(cmd.Context(), ref)
				if err != nil {
					return nil, err
				}
				return v.Definition()
			}
			var from *pipelinedef.Definition
			if len(args) == 2 {
				if from, err = load(args[0]); err != nil {
					return err
				}
			} else {
				act, err := st.Active(cmd.Context())
				if err != nil {
					return err
				}
				if from, err = act.Definition(); err != nil {
					return err
				}
			}
			to, err := load(args[len(args)-1])
			if err != nil {
				return err
			}
			changes := pipelinestore.Diff(from, to)
			if asJSON {
				return writeJSONOut(e, map[string]any{"from": from.VersionLabel(), "to": to.VersionLabel(), "changes": changes})
			}
			printf(e.stdout, "--- %s\n+++ %s\n", from.VersionLabel(), to.VersionLabel())
			if len(changes) == 0 {
				printf(e.stdout, "(không khác — no differences)\n")
			}
			for _, c := range changes {
				printf(e.stdout, "  %s: %s → %s\n", c.Field, or(c.From, "∅"), or(c.To, "∅"))
			}
			return nil
		},
	}
	activate := &cobra.Command{
		Use:   "activate <file|version>",
		Short: "Kích hoạt một phiên bản (lưu tệp nếu cần) (activate a version, storing a file first)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			st := pipelinestore.New(pool)
			if !force {
				st.Preflight = activationPreflight(cmd, e)
			}
			ref := args[0]
			if src, err := os.ReadFile(ref); err == nil {
				v, _, err := st.Put(cmd.Context(), src, operator(e, by), note)
				if err != nil {
					return err
				}
				ref = v.Label
			}
			prev, _ := st.Active(cmd.Context())
			v, changed, err := st.Activate(cmd.Context(), ref, operator(e, by), reason)
			if err != nil {
				return err
			}
			if !changed {
				printf(e.stdout, "%s đã đang chạy (already active)\n", v.Label)
				return nil
			}
			printf(e.stdout, "Đã kích hoạt %s (activated; was %s). Worker nhận trong vài giây, không cần khởi động lại.\n", v.Label, or(prev.Label, "∅"))
			return nil
		},
	}
	activate.Flags().StringVar(&note, "note", "", "ghi chú khi lưu tệp (change note when storing a file)")
	activate.Flags().BoolVar(&force, "force", false, "bỏ qua kiểm tra trước khi kích hoạt: chỉ mục đã tạo, chạy bóng đạt (skip the preflight: regulation index built, shadow gate passed)")
	rollback := &cobra.Command{
		Use:   "rollback",
		Short: "Quay lại phiên bản trước (activate the previous version)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			v, err := pipelinestore.New(pool).Rollback(cmd.Context(), operator(e, by), reason)
			if err != nil {
				return err
			}
			printf(e.stdout, "Đã quay lại %s (rolled back)\n", v.Label)
			return nil
		},
	}
	for _, c := range []*cobra.Command{activate, rollback} {
		c.Flags().StringVar(&reason, "reason", "", "lý do (reason, recorded in the audit log)")
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê các phiên bản và lịch sử kích hoạt (list versions and activations)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			st := pipelinestore.New(pool)
			vs, err := st.List(cmd.Context())
			if err != nil {
				return err
			}
			hist, err := st.History(cmd.Context(), 20)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, map[string]any{"versions": vs, "activations": hist})
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "\tPHIÊN BẢN (version)\tTÁC GIẢ (author)\tLƯU LÚC (stored)\tGHI CHÚ (note)")
			for _, v := range vs {
				mark := ""
				if v.Active {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, v.Label, v.Author, workcal.Show(v.CreatedAt, "vi"), cut(v.Note, 50))
			}
			tw.Flush()
			printf(e.stdout, "\nLịch sử kích hoạt (activations, newest first):\n")
			for _, a := range hist {
				printf(e.stdout, "  %s  %s  bởi %s  %s\n", workcal.Show(a.ActivatedAt, "vi"), a.Label, a.Author, a.Reason)
			}
			return nil
		},
	}
	cmd.PersistentFlags().StringVar(&by, "by", "", "người thực hiện (operator; default $USER)")
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	cmd.AddCommand(validate, diff, activate, rollback, list)
	return cmd
}

// activationPreflight refuses a version whose regulation index (the vectors
// of the embedding model its embed provider names) is not built, which
// would fail every dossier's check, or whose shadow runs fail the promotion
// gate. A version naming an endpoint this process does not have cannot have
// its index judged here (the workers may have it): a warning says so.
func activationPreflight(cmd *cobra.Command, e *env) func(context.Context, *pipelinedef.Definition) error {
	return func(ctx context.Context, def *pipelinedef.Definition) error {
		pool, err := e.db(ctx)
		if err != nil {
			return err
		}
		base, err := regsStore(cmd, e)
		if err != nil {
			return err
		}
		cfg, err := e.config()
		if err != nil {
			return err
		}
		models := llm.NewModels(cfg, nil, nil)
		ix := &regulation.Indexes{Base: base, Embedder: service.EmbedderFor(models, base)}
		sh := &shadow.Service{Pool: pool, Engine: &replay.Engine{Source: store.New(pool)}}
		if _, err := models.For(def); err != nil {
			printf(e.stdout, "Cảnh báo (warning): %v — không kiểm tra được chỉ mục ở máy này (cannot check the regulation index from this machine)\n", err)
			return sh.Check(ctx, def.VersionLabel(), shadow.DefaultGate)
		}
		return service.Preflight(ix, sh)(ctx, def)
	}
}

// printRoutes prints who would serve each AI task under def with this
// process's endpoint settings, and warns when a task names an endpoint that
// is not configured here (workers would use the local model for it).
func printRoutes(e *env, def *pipelinedef.Definition) {
	cfg, err := e.config()
	if err != nil {
		return
	}
	c, err := llm.New(cfg, nil, llm.TaskConfigs(def), nil, llm.OptionsFrom(cfg)...)
	if err != nil {
		printf(e.stdout, "Cảnh báo (warning): %v — với cấu hình này, worker dùng mô hình cục bộ cho tác vụ đó (workers with this configuration fall back to the local model)\n", err)
		return
	}
	for _, r := range c.Routes() {
		line := "  " + r.Task + ": " + r.Provider
		if r.Model != "" {
			line += " " + r.Model
		}
		if r.Prompt != "" {
			line += " (" + r.Prompt + ")"
		}
		printf(e.stdout, "%s\n", line)
	}
}

func or(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
