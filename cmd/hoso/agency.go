package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/audit"
)

func init() { register(newAgencyCmd) }

func newAgencyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agency",
		Short: "Danh mục cơ quan tiếp nhận (receiving agencies)",
		Long: `Cơ quan tiếp nhận là dữ liệu: mã (hồ sơ, tài khoản cán bộ và HOSO_DEFAULT_AGENCY mang mã
này), tên tiếng Việt, tỉnh/thành phố và trạng thái hoạt động. Quản trị viên sửa trong giao
diện (Cơ quan); "hoso agency import" nạp tệp CSV (code,name,province,active), ví dụ
data/agencies/agencies.csv, ghi đè theo mã và ghi vào nhật ký kiểm toán.

Receiving agencies as data: the code that dossiers, officials and
HOSO_DEFAULT_AGENCY carry, its Vietnamese name, province and whether it is
active. Administrators edit them in the console; "hoso agency import" loads a
CSV file (code,name,province,active), keyed by code, and audits the change.`,
	}
	cmd.AddCommand(newAgencyListCmd(e), newAgencyImportCmd(e))
	return cmd
}

func newAgencyListCmd(e *env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê cơ quan (list agencies)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			list, err := agency.NewStore(pool).List(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if list == nil {
					list = []agency.Agency{}
				}
				return writeJSONOut(e, list)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "MÃ (code)\tTÊN (name)\tTỈNH/THÀNH (province)\tTRẠNG THÁI (state)")
			for _, a := range list {
				state := "hoạt động (active)"
				if !a.Active {
					state = "ngừng (inactive)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Code, a.Name, a.Province, state)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return c
}

func newAgencyImportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "import <file.csv>",
		Short: "Nạp danh mục cơ quan từ CSV (import agencies from CSV)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			list, err := agency.ParseCSV(f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			n, err := agency.NewStore(pool).Import(ctx, list)
			if err != nil {
				return err
			}
			if n > 0 {
				if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "agency.import", Entity: "agency", EntityID: "*",
					After: map[string]any{"file": args[0], "rows": len(list), "changed": n}}); err != nil {
					return err
				}
			}
			printf(e.stdout, "Đã nạp %d cơ quan, %d mới hoặc thay đổi (imported %d agencies, %d new or changed)\n", len(list), n, len(list), n)
			return nil
		},
	}
}
