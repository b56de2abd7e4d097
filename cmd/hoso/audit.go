package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/workcal"
)

func init() { register(newAuditCmd) }

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Nhật ký kiểm toán: kiểm tra chuỗi băm và xem nhật ký (verify and read the audit log)",
		Long: `Nhật ký kiểm toán ghi mọi thao tác (ai, khi nào, trạng thái trước và sau), kể cả việc xem
hồ sơ của công dân. Mỗi dòng được băm cùng với giá trị băm của dòng trước, nên sửa,
xoá hay chèn một dòng đều bị "hoso audit verify" phát hiện.

The audit log records every action (who, when, before, after), including
views of citizens' dossiers. Each row is hashed with the previous row's hash,
so "hoso audit verify" detects an edited, deleted or inserted row.`,
	}
	cmd.AddCommand(newAuditVerifyCmd(e), newAuditLogCmd(e))
	return cmd
}

func newAuditVerifyCmd(e *env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "verify",
		Short: "Kiểm tra tính toàn vẹn của chuỗi băm (verify the hash chain)",
		Long: `Đọc lại toàn bộ nhật ký và tính lại chuỗi băm. Thoát với mã 0 khi nguyên vẹn; khi phát
hiện bất thường, in các dòng bị sửa, xoá hoặc chèn và thoát với mã 1.

Re-reads the whole log and recomputes the chain. Exits 0 when intact; on
tampering it prints the broken rows and exits 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			n, problems, err := audit.Verify(ctx, pool)
			if err != nil {
				return err
			}
			type broken struct {
				audit.Problem
				Row *audit.Row `json:"row,omitempty"`
			}
			var out []broken
			for _, p := range problems {
				b := broken{Problem: p}
				r, err := audit.RowAt(ctx, pool, p.Seq)
				if err == nil {
					b.Row = &r
				}
				out = append(out, b)
			}
			if asJSON {
				if out == nil {
					out = []broken{}
				}
				if err := writeJSONOut(e, map[string]any{"rows_checked": n, "ok": len(problems) == 0, "problems": out}); err != nil {
					return err
				}
			} else if len(problems) == 0 {
				printf(e.stdout, "Nhật ký nguyên vẹn: đã kiểm tra %d dòng (audit log intact: %d rows checked)\n", n, n)
			} else {
				printf(e.stdout, "PHÁT HIỆN SỬA ĐỔI: %d bất thường trong %d dòng (TAMPERING DETECTED: %d problems in %d rows)\n", len(problems), n, len(problems), n)
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SEQ\tLÝ DO (REASON)\tTHỜI ĐIỂM\tNGƯỜI\tTHAO TÁC\tĐỐI TƯỢNG")
				for _, b := range out {
					if b.Row == nil {
						fmt.Fprintf(tw, "%d\t%s\t\t\t\t\n", b.Seq, b.Reason)
						continue
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s %s\n", b.Seq, b.Reason, workcal.Show(b.Row.At, "vi"), b.Row.Actor, b.Row.Action, b.Row.Entity, b.Row.EntityID)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if len(problems) > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return c
}

func newAuditLogCmd(e *env) *cobra.Command {
	var entity, id, actor string
	var limit int
	var asJSON bool
	c := &cobra.Command{
		Use:   "log",
		Short: "Xem nhật ký, mới nhất trước (show the log, newest first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			list, err := audit.Log(ctx, pool, audit.LogFilter{Entity: entity, EntityID: id, Actor: actor, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, list)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SEQ\tTHỜI ĐIỂM\tNGƯỜI\tTHAO TÁC\tĐỐI TƯỢNG\tLÝ DO")
			for _, r := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s %s\t%s\n", r.Seq, workcal.Show(r.At, "vi"), r.Actor, r.Action, r.Entity, r.EntityID, r.Reason)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&entity, "entity", "", "loại đối tượng: dossier, suggestion, user… (entity type)")
	c.Flags().StringVar(&id, "id", "", "mã đối tượng (entity id)")
	c.Flags().StringVar(&actor, "actor", "", "người thực hiện (actor)")
	c.Flags().IntVar(&limit, "limit", 50, "số dòng tối đa (max rows)")
	c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return c
}
