package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hoso-vn/hoso/internal/telemetry"
	"github.com/hoso-vn/hoso/internal/workcal"
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
phiên bản quy trình đang kích hoạt. Làm mới đến khi Ctrl-C; --once in một lần. Khi đầu ra
không phải màn hình (chuyển vào tệp hoặc ống), mỗi lần làm mới in thêm các dòng thường,
không có mã điều khiển màn hình.

A live view of the stages: messages pending in JetStream, in flight, completion
rate, p95 duration (15 min), open dead letters, dossiers over the SLA, and the
active pipeline version. Refreshes until Ctrl-C; --once prints once. When the
output is not a terminal, each refresh appends plain lines, with no
screen-control codes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := operatorService(ctx, e)
			if err != nil {
				return err
			}
			tty := isTerminal(e.stdout)
			first := true
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
				if !once && tty {
					fmt.Fprint(e.stdout, "\x1b[H\x1b[2J") // home and clear
				} else if !first {
					fmt.Fprintln(e.stdout)
				}
				first = false
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
	fmt.Fprintf(w, "hoso top — %s — quy trình (pipeline) %s", workcal.Show(now, "vi"), active)
	if shadow != "" {
		fmt.Fprintf(w, " — chạy bóng (shadow) %s", shadow)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "BƯỚC\tCHỜ\tĐANG XỬ LÝ\tGỬI LẠI\tĐỢI\tQUÁ SLA\tLÂU NHẤT\tXONG/1ph\tTỐC ĐỘ/s\tP95\tTHƯ CHẾT\t")
	fmt.Fprintln(tw, "stage\tpending\tin flight\tredelivered\twaiting\tover SLA\toldest\tdone/1m\trate/s\tp95\tDLQ\t")
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%.2f\t%s\t%d\t\n", s.Stage, s.Pending, s.InFlight, s.Redelivery,
			s.Waiting, s.OverSLA, or(s.OldestAge, "—"), s.DoneLastMinute, s.Rate, seconds(s.P95), s.DeadLetters)
	}
	tw.Flush()
}

// isTerminal reports whether w is a terminal (top clears the screen only
// there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func seconds(s float64) string {
	if s == 0 {
		return "—"
	}
	return (time.Duration(s * float64(time.Second))).Round(time.Millisecond).String()
}
