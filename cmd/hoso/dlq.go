package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/workcal"
)

func init() { register(newDLQCmd) }

func newDLQCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dlq",
		Short: "Thư chết: xem, thử lại, loại bỏ (dead letters: list, show, retry, discard)",
		Long: `Thông điệp không xử lý được sau mọi lần thử (kể cả cảnh báo MAX_DELIVERIES của
JetStream) được ghi vào bảng dead_letters. Sau khi sửa nguyên nhân, "retry" chuyển
lại hồ sơ tới đúng bước với lượt mới; "discard" đóng với lý do. Cả hai ghi nhật ký
kiểm toán.

Messages that no retry could process (including JetStream's max-deliveries
advisory) are recorded as dead letters. After the fix, "retry" re-publishes
the dossier at its stage with a new attempt; "discard" closes it with a
reason. Both are audited.`,
	}
	var by, reason, status, stage string
	var asJSON bool
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê thư chết (list; --status open|retried|discarded|all)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			ls, err := (&deadletter.Service{Pool: pool}).List(cmd.Context(), deadletter.Filter{Status: status, Stage: stage, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, ls)
			}
			if len(ls) == 0 {
				printf(e.stdout, "Không có thư chết (no dead letters)\n")
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tBƯỚC (stage)\tHỒ SƠ (dossier)\tLẦN (deliveries)\tTRẠNG THÁI\tLÚC (at)\tLÝ DO (reason)")
			for _, l := range ls {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", l.ID, l.Stage, or(l.DossierID, "—"), l.Deliveries, l.Status,
					workcal.Show(l.CreatedAt, "vi"), cut(l.Reason, 80))
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&status, "status", "open", "open | retried | discarded | all")
	list.Flags().StringVar(&stage, "stage", "", "chỉ bước này (only this stage)")
	list.Flags().IntVar(&limit, "limit", 100, "số dòng tối đa (at most)")
	show := &cobra.Command{
		Use:   "show <id>",
		Short: "Xem chi tiết một thư chết (show one, with payload and headers)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := letterID(args[0])
			if err != nil {
				return err
			}
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			l, err := (&deadletter.Service{Pool: pool}).Get(cmd.Context(), id)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(e, l)
			}
			printf(e.stdout, "Thư chết #%d — %s\nBước: %s · Hồ sơ: %s · Consumer: %s · Stream seq: %d · Lần giao: %d\nLúc: %s\nLý do: %s\nSubject: %s\nPayload: %s\nHeaders: %v\n",
				l.ID, l.Status, l.Stage, or(l.DossierID, "—"), l.Consumer, l.StreamSeq, l.Deliveries,
				workcal.Show(l.CreatedAt, "vi"), l.Reason, l.Subject, cut(l.Payload, 2000), l.Headers)
			return nil
		},
	}
	retry := &cobra.Command{
		Use:   "retry <id>...",
		Short: "Thử lại sau khi đã sửa (re-publish the dossier at its stage)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := operatorService(cmd.Context(), e)
			if err != nil {
				return err
			}
			for _, a := range args {
				id, err := letterID(a)
				if err != nil {
					return err
				}
				l, err := svc.DeadLetters.Retry(cmd.Context(), id, operator(e, by), reason)
				if err != nil {
					return err
				}
				printf(e.stdout, "Đã thử lại #%d: hồ sơ %s chuyển lại tới bước %s (retried)\n", l.ID, l.DossierID, l.Stage)
			}
			return nil
		},
	}
	discard := &cobra.Command{
		Use:   "discard <id> --reason TEXT",
		Short: "Loại bỏ với lý do (discard with a reason)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := letterID(args[0])
			if err != nil {
				return err
			}
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			l, err := (&deadletter.Service{Pool: pool}).Discard(cmd.Context(), id, operator(e, by), reason)
			if err != nil {
				return err
			}
			printf(e.stdout, "Đã loại bỏ #%d (discarded)\n", l.ID)
			return nil
		},
	}
	for _, c := range []*cobra.Command{retry, discard} {
		c.Flags().StringVar(&by, "by", "", "người thực hiện (operator; default $USER)")
		c.Flags().StringVar(&reason, "reason", "", "lý do (reason, recorded in the audit log)")
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	cmd.AddCommand(list, show, retry, discard)
	return cmd
}

// letterID parses a dead letter's id argument.
func letterID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("mã thư chết phải là số (id must be a number): %q", arg)
	}
	return id, nil
}
