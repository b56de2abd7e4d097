package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/telemetry"
)

func init() { register(newTopCmd) }

func newTopCmd(e *env) *cobra.Command {
	var once bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "top",
		Short: "Xem trực tiếp các bước xử lý (live view of the stages)",
		Long: `Bảng trực tiếp của từng bước: chờ trong JetStream (pending), đang xử lý (in flight),
tốc độ hoàn thành, p95 thời gian xử lý (15 phút), thư chết đang mở, hồ sơ quá SLA và
phiên bản quy trình đang kích hoạt. Làm mới đến khi Ctrl-C; --once in một lần.

A live view of the stages: messages pending in JetStream, in flight, completion
rate, p95 duration (15 min), open dead letters, dossiers over the SLA, and the
active pipeline version. Refreshes until Ctrl-C; --once prints once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := operatorService(ctx, e)
			if err != nil {
				return err
			}
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				stats, err := telemetry.Stages(ctx, svc.Pool, svc.Broker, svc.Config.StuckAfter)
				if err != nil {
					return err
				}
				shadowLabel := ""
				if c, ok, err := svc.Shadow.Running(ctx); err == nil && ok {
					shadowLabel = c.Label
				}
				if !once {
					fmt.Fprint(e.stdout, "\x1b[H\x1b[2J") // home and clear
				}
				renderTop(e.stdout, time.Now(), svc.Registry.Current().VersionLabel(), shadowLabel, stats)
				if once {
					return nil
				}
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "in một lần rồi thoát (print once)")
	cmd.Flags().DurationVar(&interval, "interval", 2*time.Second, "chu kỳ làm mới (refresh interval)")
	return cmd
}

func renderTop(w io.Writer, now time.Time, active, shadow string, stats []telemetry.StageStat) {
	fmt.Fprintf(w, "hoso top — %s — quy trình (pipeline) %s", now.Format("15:04:05"), active)
	if shadow != "" {
		fmt.Fprintf(w, " — chạy bóng (shadow) %s", shadow)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "STAGE\tPENDING\tIN FLIGHT\tREDELIV\tWAITING\tOVER SLA\tOLDEST\tDONE/1m\tRATE/s\tP95\tDLQ\t")
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%.2f\t%s\t%d\t\n", s.Stage, s.Pending, s.InFlight, s.Redelivery,
			s.Waiting, s.OverSLA, or(s.OldestAge, "—"), s.DoneLastMinute, s.Rate, seconds(s.P95), s.DeadLetters)
	}
	tw.Flush()
}

func seconds(s float64) string {
	if s == 0 {
		return "—"
	}
	return (time.Duration(s * float64(time.Second))).Round(time.Millisecond).String()
}
