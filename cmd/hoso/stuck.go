package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/telemetry"
)

func init() { register(newStuckCmd) }

func newStuckCmd(e *env) *cobra.Command {
	var stage string
	var sla time.Duration
	var all, asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "stuck",
		Short: "Hồ sơ đang chờ ở từng bước và tuổi so với SLA (dossiers waiting per stage, age vs SLA)",
		Long: `Liệt kê hồ sơ đang chờ ở một bước lâu hơn SLA (mặc định HOSO_STUCK_AFTER), cũ nhất
trước, cùng bảng tổng hợp theo bước. --all liệt kê cả hồ sơ chưa quá SLA.

Lists the dossiers waiting in a stage longer than the SLA (HOSO_STUCK_AFTER by
default), oldest first, after a per-stage summary. --all lists every waiting
dossier.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := e.config()
			if err != nil {
				return err
			}
			if sla <= 0 {
				sla = cfg.StuckAfter
			}
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			stats, err := telemetry.Stages(cmd.Context(), pool, nil, sla)
			if err != nil {
				return err
			}
			ws, err := telemetry.WaitingDossiers(cmd.Context(), pool, stage, sla, !all, limit)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, map[string]any{"sla": sla.String(), "stages": stats, "dossiers": ws})
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "BƯỚC (stage)\tĐANG CHỜ (waiting)\tQUÁ SLA %s\tCŨ NHẤT (oldest)\n", sla)
			for _, s := range stats {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", s.Stage, s.Waiting, s.OverSLA, or(s.OldestAge, "—"))
			}
			tw.Flush()
			printf(e.stdout, "\n")
			if len(ws) == 0 {
				printf(e.stdout, "Không có hồ sơ nào quá SLA (nothing over the SLA)\n")
				return nil
			}
			tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "HỒ SƠ (dossier)\tTHỦ TỤC\tBƯỚC\tCHỜ (age)\tSLA\tLẦN ĐẨY LẠI (attempts)\tPHIÊN BẢN")
			for _, w := range ws {
				mark := "ok"
				if w.OverSLA {
					mark = "QUÁ (over)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", w.DossierID, w.ProcedureCode, w.Stage, w.AgeText, mark, w.Attempts, w.PipelineVersion)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "chỉ bước này (only this stage)")
	cmd.Flags().DurationVar(&sla, "sla", 0, "SLA mỗi bước (per-stage SLA), mặc định HOSO_STUCK_AFTER")
	cmd.Flags().BoolVar(&all, "all", false, "liệt kê cả hồ sơ chưa quá SLA (list every waiting dossier)")
	cmd.Flags().IntVar(&limit, "limit", 100, "số dòng tối đa (at most)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return cmd
}
