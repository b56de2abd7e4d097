package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/citizen"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/signing"
	"github.com/hoso-vn/hoso/internal/vault"
)

func init() { register(newDemoCmd) }

// demoPassword is the demo officials' password, printed by the demo. The
// demo is for a laptop; production accounts are made with `hoso user add`.
const demoPassword = "hoso-demo-2026"

// demoAgencyName is the subject of the demo agency certificate.
const demoAgencyName = "UBND phường Demo (hoso)"

func newDemoCmd(e *env) *cobra.Command {
	var once, asJSON bool
	var addr, dataDir string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Chạy thử trọn vẹn: nạp dữ liệu mẫu, xử lý hồ sơ mẫu, mở giao diện (run the demo)",
		Long: `Áp dụng migration, nạp danh mục thủ tục và văn bản pháp luật mẫu, tạo tài khoản cán
bộ mẫu, nộp các hồ sơ mẫu trong data/dossiers, chờ xử lý xong, in bảng tóm tắt rồi
phục vụ giao diện trên 127.0.0.1:8080 cho đến khi nhấn Ctrl-C.
--once thoát sau khi in tóm tắt; --json in tóm tắt dạng JSON (mảng báo cáo kiểm tra
trước, giống hoso status --json).

Migrates, loads the sample procedures and legal texts, creates demo officials,
submits the sample dossiers, waits for their pre-checks, prints a summary and
serves the console until Ctrl-C. --once exits after the summary; --json prints
it as a JSON array of pre-check reports.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.HTTPAddr = addr
			}
			log := e.stderr // progress; stdout carries only the summary
			fmt.Fprintln(log, "hoso demo: khởi động (starting)…")
			sopts := service.Options{Log: e.logger(), ReconcileInterval: 5 * time.Second}
			if cfg.SigningKey == "" && cfg.SigningP12 == "" {
				// No agency key configured: a local demo CA signs the demo's
				// receipts, reports and decisions.
				dir := filepath.Join(cfg.DataDir, "signing")
				keys, created, err := signing.EnsureDemo(dir, demoAgencyName)
				if err != nil {
					return fmt.Errorf("khóa ký thử nghiệm (demo signing key): %w", err)
				}
				if created {
					fmt.Fprintf(log, "hoso demo: đã tạo CA thử nghiệm và chứng thư ký của cơ quan trong %s (created a demo CA and agency signing certificate; demo only)\n", dir)
				}
				sopts.Signing = keys
			}
			svc, err := service.New(ctx, cfg, sopts)
			if err != nil {
				return err
			}
			defer shutdown(e, svc)
			if err := seed(ctx, e, svc, dataDir, log); err != nil {
				return err
			}
			samples, err := service.LoadSamples(filepath.Join(dataDir, "dossiers"))
			if err != nil {
				return err
			}
			var ids []string
			for _, sd := range samples {
				res, err := svc.SubmitSample(ctx, sd, "demo-")
				if err != nil {
					return fmt.Errorf("nộp hồ sơ mẫu %s (submit sample): %w", sd.Name, err)
				}
				ids = append(ids, res.DossierID)
			}
			fmt.Fprintf(log, "hoso demo: đã nộp %d hồ sơ mẫu, đang xử lý (submitted %d sample dossiers, processing)…\n", len(ids), len(ids))
			wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
			reps, err := svc.WaitDone(wctx, ids, nil)
			cancel()
			if err != nil {
				return err
			}
			if err := proactive(ctx, svc, samples, ids, log); err != nil {
				return err
			}
			if reps, err = svc.WaitDone(ctx, ids, nil); err != nil {
				return err
			}
			if svc.Signing.Keys != nil {
				signed := 0
				for _, id := range ids {
					n, err := svc.Signing.SignDossier(ctx, id)
					if err != nil {
						return fmt.Errorf("ký hồ sơ (sign) %s: %w", id, err)
					}
					signed += n
				}
				fmt.Fprintf(log, "hoso demo: đã ký số %d bản ghi (giấy tiếp nhận, quyết định tiếp nhận, báo cáo kiểm tra trước) bằng khóa của cơ quan; kiểm tra: hoso verify <mã hồ sơ> (signed %d records)\n", signed, signed)
			}
			if asJSON {
				if err := writeJSONOut(e, reps); err != nil {
					return err
				}
			} else {
				printDemoSummary(e.stdout, reps)
			}
			if once {
				return nil
			}
			printf(log, "\nGiao diện cán bộ (console): http://%s\n", cfg.HTTPAddr)
			printf(log, "Đăng nhập (sign in): quantri / %s (quản trị, mọi cơ quan) hoặc canbo.badinh / %s\n", demoPassword, demoPassword)
			if link, err := demoCitizenLink(ctx, svc, samples, ids, cfg.HTTPAddr); err != nil {
				fmt.Fprintf(log, "hoso demo: chưa tạo được đường dẫn cho công dân (citizen link not made): %v\n", err)
			} else if link != "" {
				printf(log, "Trang công dân (citizen page, %d phút/min, một lần/once): %s\n", int(citizen.DefaultCodeTTL/time.Minute), link)
			}
			printf(log, "Nhấn Ctrl-C để dừng (press Ctrl-C to stop).\n")
			return serveHTTP(ctx, e, svc, listenOn(cfg), nil)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&once, "once", false, "thoát sau khi in tóm tắt (exit after the summary)")
	f.BoolVar(&asJSON, "json", false, "in tóm tắt dạng JSON (print the summary as JSON)")
	f.StringVar(&addr, "addr", "", "địa chỉ lắng nghe (listen address), mặc định HOSO_HTTP_ADDR")
	f.StringVar(&dataDir, "data", "data", "thư mục dữ liệu mẫu (sample data directory)")
	return cmd
}

// seed loads the catalog, the regulations, their citations and the demo
// officials. Every step is idempotent.
func seed(ctx context.Context, e *env, svc *service.Service, dataDir string, log io.Writer) error {
	start := time.Now()
	rep, err := svc.Catalog.Import(ctx, filepath.Join(dataDir, "procedures"), nil)
	if err != nil {
		return fmt.Errorf("nạp danh mục thủ tục (import catalog): %w", err)
	}
	if _, err := svc.Catalog.ApplyOverrides(ctx, filepath.Join("pipelines", "catalog")); err != nil {
		return fmt.Errorf("áp dụng hiệu chỉnh danh mục (apply catalog overrides): %w", err)
	}
	fmt.Fprintf(log, "hoso demo: danh mục thủ tục: %d thủ tục, %d thành phần hồ sơ (%d mới) (catalog loaded)\n", rep.Total, rep.Requirements, rep.Inserted)

	var regPaths []string
	if shared := e.sharedDataDir(); shared != "" {
		for _, d := range []string{"legal-texts-rightly", "laws-underthesea-vlc", "phapdien-excerpts-diepxuan"} {
			regPaths = append(regPaths, filepath.Join(shared, d))
		}
	} else {
		regPaths = []string{filepath.Join(dataDir, "legal")}
	}
	rr, err := svc.Regulations.Import(ctx, regPaths, nil)
	if err != nil {
		return fmt.Errorf("nạp văn bản pháp luật (import regulations): %w", err)
	}
	fmt.Fprintf(log, "hoso demo: văn bản pháp luật: %d văn bản, %d điều, %d đoạn (regulations loaded)\n", rr.Documents, rr.Articles, rr.Chunks)
	samples, err := service.LoadSamples(filepath.Join(dataDir, "dossiers"))
	if err != nil {
		return err
	}
	cited := map[string]bool{}
	for _, sd := range samples {
		if cited[sd.Procedure] {
			continue
		}
		cited[sd.Procedure] = true
		p, err := svc.Catalog.Get(ctx, sd.Procedure, time.Now())
		if err != nil {
			return fmt.Errorf("thủ tục mẫu %s: %w", sd.Procedure, err)
		}
		if ok, err := svc.Regulations.Cited(ctx, p); err != nil {
			return err
		} else if ok {
			continue
		}
		if err := svc.Regulations.CiteProcedure(ctx, p); err != nil {
			return fmt.Errorf("trích dẫn căn cứ cho %s (cite): %w", sd.Procedure, err)
		}
	}
	users := auth.NewStore(svc.Pool)
	demo := []auth.User{{ID: "quantri", Name: "Quản trị viên (demo)", Agency: "quan-tri-he-thong", Roles: []string{"admin", "approver", "reviewer", "operator"}}}
	names := agencyNames(ctx, svc.Pool)
	seen := map[string]bool{}
	for _, sd := range samples {
		if seen[sd.Agency] {
			continue
		}
		seen[sd.Agency] = true
		short := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(sd.Agency, "ubnd-phuong-"), "cong-an-phuong-"), "ubnd-")
		demo = append(demo, auth.User{ID: "canbo." + strings.ReplaceAll(short, "-", ""), Name: "Cán bộ " + cmp.Or(names[sd.Agency], sd.Agency),
			Agency: sd.Agency, Roles: []string{"reviewer", "approver"}})
	}
	for _, u := range demo {
		if _, err := users.AddUser(ctx, u, demoPassword); err != nil && dossier.ErrorCode(err) != dossier.CodeConflict {
			return fmt.Errorf("tạo tài khoản mẫu %s: %w", u.ID, err)
		}
	}
	fmt.Fprintf(log, "hoso demo: dữ liệu sẵn sàng sau %s (data ready)\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func printDemoSummary(w io.Writer, reps []dossier.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HỒ SƠ (dossier)\tTHỦ TỤC (procedure)\tGIẤY TỜ\tCÓ (present)\tTHIẾU (missing)\tĐỀ XUẤT (suggestions)\tTRẠNG THÁI")
	for _, r := range reps {
		var present, missing []string
		for _, f := range r.Findings {
			if f.Kind != "completeness" && f.Kind != "reuse" {
				continue
			}
			switch f.Status {
			case dossier.FindingPresent:
				present = append(present, cut(f.Requirement, 28))
			case dossier.FindingSatisfiedByReuse:
				present = append(present, cut(f.Requirement, 20)+" (dùng lại/reused)")
			case dossier.FindingMissing:
				missing = append(missing, cut(f.Requirement, 28))
			}
		}
		name := r.Dossier.ProcedureCode + " " + cut(r.Dossier.ProcedureName, 30)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d: %s\t%d: %s\t%d\t%s\n", r.Dossier.ID, name, len(r.Documents),
			len(present), strings.Join(present, "; "), len(missing), strings.Join(missing, "; "), len(r.Suggestions), statusVI(r.Dossier.Status))
	}
	tw.Flush()
}

// demoCitizenLink signs the applicant of the accepted sample in on the
// citizen page: the code also goes out on <prefix>.notify.<citizen>, as for
// any citizen; the demo prints the link instead of a channel delivering it.
func demoCitizenLink(ctx context.Context, svc *service.Service, samples []service.SampleDossier, ids []string, addr string) (string, error) {
	for i, sd := range samples {
		if sd.Name != "khai-sinh-day-du" {
			continue
		}
		d, err := svc.Store.Dossier(ctx, ids[i])
		if err != nil {
			return "", err
		}
		cs := &citizen.Service{Pool: svc.Pool, Notifier: citizen.BrokerNotifier{Broker: svc.Broker}, BaseURL: "http://" + addr}
		in, err := cs.Issue(ctx, d.ApplicantID, "demo")
		if err != nil {
			return "", err
		}
		return in.Link, nil
	}
	return "", nil
}

// proactive shows the citizens' side: an official accepts the complete
// birth registration, its documents enter the vault, and the birth rule
// drafts the linked procedures (liên thông thường trú + BHYT) as a
// suggestion that waits for an official like every other.
func proactive(ctx context.Context, svc *service.Service, samples []service.SampleDossier, ids []string, log io.Writer) error {
	for i, sd := range samples {
		if sd.Name != "khai-sinh-day-du" {
			continue
		}
		acc, err := vault.New(svc.Pool).Accept(ctx, ids[i], review.Actor{ID: "quantri", Roles: []string{"admin"}}, "demo")
		if err != nil {
			return fmt.Errorf("tiếp nhận hồ sơ mẫu (accept sample): %w", err)
		}
		rules, err := trigger.Default()
		if err != nil {
			return err
		}
		te := &trigger.Engine{Pool: svc.Pool, Rules: rules, Procedures: svc.Catalog, DefaultAgency: svc.Config.DefaultAgency}
		drafted, err := te.HandleStored(ctx, acc.EventID)
		if err != nil {
			return fmt.Errorf("quy tắc chủ động (proactive rules): %w", err)
		}
		fmt.Fprintf(log, "hoso demo: hồ sơ %s được tiếp nhận; %d giấy tờ vào kho dữ liệu; %d đề xuất chủ động chờ cán bộ duyệt (accepted; %d vault records; %d proactive suggestions pending review)\n",
			ids[i], len(acc.Records), len(drafted), len(acc.Records), len(drafted))
	}
	return nil
}
