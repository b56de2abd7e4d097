package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/explain"
	"github.com/hoso-vn/hoso/internal/vault"
)

func init() { register(newCitizenCmd) }

func newCitizenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "citizen",
		Short: "Kho dữ liệu công dân, gợi ý chủ động và phản hồi (citizens' vault, proactive prompts, responses)",
		Long: `Kho dữ liệu công dân (mỗi giấy tờ chỉ cung cấp một lần), gợi ý dịch vụ chủ động theo
sự kiện cuộc sống (app/trigger/triggers.yaml), giải thích cho công dân, phản hồi và xuất dữ
liệu cá nhân theo Luật Bảo vệ dữ liệu cá nhân 91/2025. Mọi gợi ý chỉ đến công dân sau khi
cán bộ duyệt (hoso review approve).

The citizens' once-only vault, proactive prompts from life events, plain
explanations, responses and the data-subject export. No prompt reaches a
citizen until an official approves it.`,
	}
	var asJSON bool
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	out := func(v any, text func()) error {
		if asJSON {
			return writeJSONOut(e, v)
		}
		text()
		return nil
	}
	deps := func(ctx context.Context) (*pgxpool.Pool, *catalog.Store, *vault.Store, error) {
		pool, err := e.db(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		cat := catalog.NewStore(pool)
		v := vault.New(pool)
		v.Procedures, v.Log = cat, e.logger()
		return pool, cat, v, nil
	}
	engine := func(ctx context.Context) (*trigger.Engine, error) {
		pool, cat, _, err := deps(ctx)
		if err != nil {
			return nil, err
		}
		cfg, _ := e.config()
		rules, err := trigger.Default()
		if err != nil {
			return nil, err
		}
		return &trigger.Engine{Pool: pool, Rules: rules, Procedures: cat, DefaultAgency: cfg.DefaultAgency, Log: e.logger()}, nil
	}

	var by, acceptBy, token, note string
	accept := &cobra.Command{
		Use:   "accept-dossier <dossier-id>",
		Short: "Cán bộ chấp nhận hồ sơ: lưu giấy tờ vào kho dữ liệu (an official accepts a dossier into the vault)",
		Long: `Chấp nhận hồ sơ thay mặt cán bộ có mã truy cập API trong HOSO_TOKEN (hoặc --token),
như hoso review; tài khoản phải còn hoạt động, là reviewer hoặc approver của cơ quan.

Accepts a dossier on behalf of the official whose API token is in HOSO_TOKEN
(or --token), as hoso review does; the account must be active and a reviewer
or approver of the dossier's agency.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			if token == "" {
				token = cfg.Token
			}
			who, err := cliOfficial(ctx, e, token, acceptBy)
			if err != nil {
				return err
			}
			_, _, v, err := deps(ctx)
			if err != nil {
				return err
			}
			acc, err := v.Accept(ctx, args[0], who, note)
			if err != nil {
				return err
			}
			eng, err := engine(ctx)
			if err != nil {
				return err
			}
			ds, err := eng.HandleStored(ctx, acc.EventID)
			if err != nil {
				return err
			}
			return out(map[string]any{"acceptance": acc, "suggestions": ds}, func() {
				printf(e.stdout, "Đã chấp nhận hồ sơ %s; %d giấy tờ vào kho dữ liệu (accepted; records in the vault)\n", acc.DossierID, len(acc.Records))
				for _, r := range acc.Records {
					printf(e.stdout, "  %s  %s  %s\n", r.ID, r.Type, r.Title)
				}
				printDrafted(e, ds)
			})
		},
	}
	accept.Flags().StringVar(&token, "token", "", "mã truy cập API của cán bộ; nên dùng HOSO_TOKEN (the official's API token; prefer HOSO_TOKEN)")
	accept.Flags().StringVar(&acceptBy, "by", "", "nếu đặt: phải là chủ mã truy cập (if set: must be the token's official)")
	accept.Flags().StringVar(&note, "note", "", "ghi chú (note)")

	export := &cobra.Command{
		Use:   "export <citizen-id>",
		Short: "Xuất toàn bộ dữ liệu về một công dân (data-subject export, PDPL 91/2025)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, v, err := deps(cmd.Context())
			if err != nil {
				return err
			}
			ex, err := v.Export(cmd.Context(), args[0], "cli:"+by)
			if err != nil {
				return err
			}
			return writeJSONOut(e, ex)
		},
	}
	export.Flags().StringVar(&by, "by", "operator", "người yêu cầu, ghi nhật ký (who asks; audited)")

	rules := &cobra.Command{
		Use:   "rules",
		Short: "Thống kê gợi ý theo quy tắc (suggestions by rule: made, approved, rejected, accepted, declined)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			stats, err := trigger.Stats(cmd.Context(), pool)
			if err != nil {
				return err
			}
			return out(stats, func() {
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "QUY TẮC (RULE)\tĐÃ TẠO\tCHỜ\tDUYỆT\tTỪ CHỐI\tĐỒNG Ý\tKHÔNG\tTỶ LỆ TỪ CHỐI")
				for _, s := range stats {
					flag := ""
					if s.Approved+s.Rejected >= 5 && s.RejectionRate() >= 0.5 {
						flag = "  ⚠ nhiều từ chối (many rejections)"
					}
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f%%%s\n", s.RuleID, s.Made, s.Pending, s.Approved, s.Rejected, s.Accepted, s.Declined, 100*s.RejectionRate(), flag)
				}
				_ = tw.Flush()
			})
		},
	}

	scan := &cobra.Command{
		Use:   "scan",
		Short: "Chạy một lượt quét theo lịch: giấy tờ sắp hết hạn, hồ sơ thiếu lâu ngày (run the scheduler pass once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			eng, err := engine(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := eng.Scan(cmd.Context())
			if err != nil {
				return err
			}
			return out(rep, func() {
				printf(e.stdout, "Sắp hết hạn %d, thiếu lâu ngày %d, sự kiện chờ %d, gợi ý mới %d (expiring, incomplete, pending events, new suggestions)\n",
					rep.Expiring, rep.Incomplete, rep.Pending, rep.Drafted)
			})
		},
	}

	var ev trigger.Event
	var data []string
	event := &cobra.Command{
		Use:   "event <kind>",
		Short: "Ghi nhận một sự kiện cuộc sống và chạy quy tắc (record a life event and run the rules)",
		Long: `Ghi nhận sự kiện như khi hệ thống khác gửi lên NATS <prefix>.events.<kind>.
Loại sự kiện (kinds): ` + strings.Join(trigger.Kinds, ", "),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			eng, err := engine(cmd.Context())
			if err != nil {
				return err
			}
			ev.Kind, ev.Origin = args[0], "cli"
			ev.Data = map[string]string{}
			for _, kv := range data {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--data %q: want key=value", kv)
				}
				ev.Data[k] = v
			}
			if ev.ID == "" {
				ev.ID = fmt.Sprintf("cli:%s:%s:%d", ev.Kind, ev.CitizenID, time.Now().UnixNano())
			}
			ds, err := eng.Handle(cmd.Context(), ev)
			if err != nil {
				return err
			}
			return out(ds, func() { printDrafted(e, ds) })
		},
	}
	event.Flags().StringVar(&ev.ID, "id", "", "mã sự kiện, khóa chống trùng (event id; idempotency key)")
	event.Flags().StringVar(&ev.CitizenID, "citizen", "", "mã công dân (citizen id)")
	event.Flags().StringVar(&ev.SubjectName, "subject-name", "", "tên người/đơn vị liên quan (the child, the business)")
	event.Flags().StringVar(&ev.ProcedureCode, "procedure", "", "mã thủ tục (procedure code)")
	event.Flags().StringVar(&ev.Agency, "agency", "", "cơ quan duyệt (approving agency)")
	event.Flags().StringSliceVar(&data, "data", nil, "dữ liệu key=value (event data)")
	_ = event.MarkFlagRequired("citizen")

	var rec vault.Record
	var validUntil, fields string
	register := &cobra.Command{
		Use:   "register <owner-id> <type>",
		Short: "Đăng ký bản ghi từ cơ sở dữ liệu khác vào kho (register a registry record)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, v, err := deps(cmd.Context())
			if err != nil {
				return err
			}
			rec.OwnerID, rec.Type = args[0], args[1]
			if !strings.HasPrefix(rec.Source, "registry:") {
				rec.Source = "registry:" + rec.Source
			}
			rec.VerifiedBy = rec.Source
			if validUntil != "" {
				t, err := time.Parse("2006-01-02", validUntil)
				if err != nil {
					return fmt.Errorf("--valid-until: want YYYY-MM-DD: %w", err)
				}
				rec.ValidUntil = &t
			}
			for _, kv := range strings.Split(fields, ",") {
				if k, val, ok := strings.Cut(kv, "="); ok {
					subj, name, found := strings.Cut(k, ".")
					if !found {
						subj, name = "", k
					}
					rec.Fields = append(rec.Fields, fieldOf(name, val, subj))
				}
			}
			got, created, err := v.Register(cmd.Context(), rec)
			if err != nil {
				return err
			}
			return out(got, func() {
				printf(e.stdout, "%s %s (%s, created=%v)\n", got.ID, got.Title, got.Source, created)
			})
		},
	}
	register.Flags().StringVar(&rec.Source, "source", "registry:cli", "nguồn registry:<tên> (source)")
	register.Flags().StringVar(&rec.SourceRef, "ref", "", "mã bản ghi ở nguồn (record id at the source)")
	register.Flags().StringVar(&rec.Issuer, "issuer", "", "cơ quan cấp (issuer)")
	register.Flags().StringVar(&rec.Number, "number", "", "số hiệu (number)")
	register.Flags().StringVar(&rec.SubjectIDNumber, "subject-id", "", "số định danh của người được cấp (subject's id number)")
	register.Flags().StringVar(&validUntil, "valid-until", "", "hết hạn YYYY-MM-DD (expiry)")
	register.Flags().StringVar(&fields, "fields", "", "trường, ví dụ child.full_name=Nguyễn Minh An,address=… (fields)")
	_ = register.MarkFlagRequired("ref")

	respond := func(use, response string) *cobra.Command {
		return &cobra.Command{
			Use:   use + " <citizen-id> <inbox-item>",
			Short: "Ghi nhận công dân " + map[string]string{"accepted": "đồng ý (accept)", "declined": "từ chối (decline)"}[response] + " một gợi ý",
			Args:  cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				pool, cat, v, err := deps(cmd.Context())
				if err != nil {
					return err
				}
				item, err := strconv.ParseInt(args[1], 10, 64)
				if err != nil {
					return fmt.Errorf("inbox item %q: %w", args[1], err)
				}
				c := &trigger.Consent{Pool: pool, Vault: v, Procedures: cat, Log: e.logger()}
				ans, err := c.Respond(cmd.Context(), args[0], item, response, "citizen:"+args[0])
				if err != nil {
					return err
				}
				return out(ans, func() {
					printf(e.stdout, "Đã ghi nhận: %s (recorded)\n", ans.Response)
					if ans.Draft != nil {
						printf(e.stdout, "Hồ sơ nháp %s (thủ tục %s): dùng lại %d giấy tờ, còn cần: %s\n", ans.Draft.DossierID, ans.Draft.ProcedureCode,
							len(ans.Draft.Reused), strings.Join(ans.Draft.ToProvide, "; "))
					}
				})
			},
		}
	}

	var draft bool
	explainCmd := &cobra.Command{
		Use:   "explain <dossier-id>",
		Short: "Giải thích cho công dân từ các đề xuất đã duyệt (plain explanation from approved suggestions)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pool, cat, _, err := deps(cmd.Context())
			if err != nil {
				return err
			}
			b := &explain.Builder{Pool: pool, Procedures: cat, Log: e.logger()}
			if draft {
				sg, msg, err := b.Draft(cmd.Context(), args[0], time.Now())
				if err != nil {
					return err
				}
				return out(map[string]any{"suggestion": sg, "message": msg}, func() {
					printf(e.stdout, "%s\n\nĐề xuất chờ duyệt (pending suggestion): %s\n", msg.Text, sg.ID)
				})
			}
			msg, err := b.Build(cmd.Context(), args[0], time.Now())
			if err != nil {
				return err
			}
			return out(msg, func() { printf(e.stdout, "%s\n", msg.Text) })
		},
	}
	explainCmd.Flags().BoolVar(&draft, "draft", false, "lưu thành đề xuất chờ cán bộ duyệt (save as a suggestion for approval)")

	cmd.AddCommand(accept, export, rules, scan, event, register, respond("accept", trigger.ResponseAccepted), respond("decline", trigger.ResponseDeclined), explainCmd)
	return cmd
}

func printDrafted(e *env, ds []trigger.Drafted) {
	for _, d := range ds {
		state := "đã có (already drafted)"
		if d.Created {
			state = "mới, chờ cán bộ duyệt (new, pending review)"
		}
		printf(e.stdout, "Gợi ý %s [%s] %s: %s\n  %s\n", d.SuggestionID, d.RuleID, state, d.Rationale, d.Text)
	}
}

func fieldOf(name, value, subject string) dossier.Field {
	return dossier.Field{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value), Subject: strings.TrimSpace(subject)}
}
