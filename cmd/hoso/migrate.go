package main

import (
	"github.com/spf13/cobra"
)

func init() { register(newMigrateCmd) }

func newMigrateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Tạo cơ sở dữ liệu và áp dụng migration (create the database and migrate)",
		Long: `Tạo cơ sở dữ liệu DATABASE_URL nếu chưa có, cài extension pgvector và áp dụng
các migration SQL nhúng trong chương trình. Các lệnh khác cũng tự làm việc này.

Creates the DATABASE_URL database when missing, enables pgvector and applies
the embedded SQL migrations (every other command does this too).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := e.db(cmd.Context()); err != nil {
				return err
			}
			printf(e.stdout, "Cơ sở dữ liệu đã sẵn sàng (database migrated)\n")
			return nil
		},
	}
}
