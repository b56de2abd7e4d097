package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/config"
)

func init() { register(newEnvCmd) }

// newEnvCmd prints every environment variable hoso reads (config.Vars): its
// default and its value in this environment, secrets masked.
func newEnvCmd(e *env) *cobra.Command {
	var asJSON, markdown bool
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Liệt kê biến môi trường cấu hình (list every configuration variable)",
		Long: `Liệt kê mọi biến môi trường mà hoso đọc: giá trị mặc định, giá trị hiện tại
(khoá bí mật được che) và ý nghĩa. Cuối cùng kiểm tra cấu hình và nêu tên biến sai.

Lists every environment variable hoso reads, its default, its current value
(secrets masked) and its meaning, then validates the configuration and names
the bad variable. --markdown prints the README's configuration table.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if markdown {
				printf(e.stdout, "%s", config.Markdown())
				return nil
			}
			settings := config.Describe(e.getenv)
			_, err := config.Load(e.getenv)
			if asJSON {
				out := struct {
					Variables []config.Setting `json:"variables"`
					Error     string           `json:"error,omitempty"`
				}{Variables: settings}
				if err != nil {
					out.Error = err.Error()
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if eerr := enc.Encode(out); eerr != nil {
					return eerr
				}
				if err != nil {
					return exitError{code: 1}
				}
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "BIẾN (variable)\tMẶC ĐỊNH (default)\tHIỆN TẠI (current)\tÝ NGHĨA (meaning)")
			for _, s := range settings {
				cur := s.Value
				if !s.Set {
					cur = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Default, cur, s.DocVI)
			}
			if ferr := tw.Flush(); ferr != nil {
				return ferr
			}
			if err != nil {
				return exitError{code: 1, msg: "Cấu hình sai (invalid configuration): " + err.Error()}
			}
			printf(e.stdout, "Cấu hình hợp lệ (configuration valid)\n")
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "JSON, có ý nghĩa tiếng Anh (with the English meanings)")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "bảng cấu hình của README (the README's configuration table)")
	return cmd
}
