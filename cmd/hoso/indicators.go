package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/indicators"
)

func init() { register(newIndicatorsCmd) }

func newIndicatorsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "indicators",
		Short: "Chỉ tiêu của Đề án theo Quyết định 2629/QĐ-TTg (the Programme's indicators)",
		Long: `Các chỉ tiêu của Đề án (Quyết định 2629/QĐ-TTg), tính từ chính dữ liệu của hoso theo tháng
(giờ Việt Nam), theo từng cơ quan và toàn hệ thống: tỷ lệ hồ sơ được AI kiểm tra trước, tỷ lệ
giấy tờ dùng lại (chỉ cung cấp một lần), tỷ lệ giải quyết đúng hạn, mức đồng ý của cán bộ với
đề xuất AI, thời gian giải quyết trung vị và mức hài lòng của người dân. Định nghĩa từng
trường: docs/indicators.md. Trang quản trị: /console/indicators; API: GET /api/v1/indicators.

The Programme's indicators (Decision 2629/QĐ-TTg) from hoso's own records,
per month (Vietnam time), per agency and overall. Each field is defined in
docs/indicators.md.`,
	}
	cmd.AddCommand(newIndicatorsExportCmd(e))
	return cmd
}

func newIndicatorsExportCmd(e *env) *cobra.Command {
	var month, format string
	c := &cobra.Command{
		Use:   "export",
		Short: "Xuất dữ liệu mở của một tháng, CSV hoặc JSON (export a month as open data)",
		Long: `In ra dữ liệu mở của một tháng: một dòng cho toàn hệ thống (agency "*") và một dòng cho
mỗi cơ quan. Không có dữ liệu cá nhân; số đếm nhỏ hơn 5 bị ẩn (ô trống trong CSV, null trong
JSON), cùng mọi tỷ lệ, trung vị hay trung bình có thể làm lộ số đó.

Prints a month's open data: one row for the whole service (agency "*") and
one per agency. No personal data; counts below 5 are suppressed (empty in
CSV, null in JSON), with every share, median or mean that would reveal one.

  hoso indicators export --month 2026-11 --format csv > chi-tieu-2026-11.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format phải là csv hoặc json (--format must be csv or json), không phải %q", format)
			}
			if month == "" {
				return fmt.Errorf("thiếu --month, ví dụ --month 2026-11 (--month is required)")
			}
			if _, err := indicators.ParseMonth(month); err != nil {
				return err
			}
			ctx := cmd.Context()
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			rep, err := indicators.Compute(ctx, pool, month, month, "", time.Now())
			if err != nil {
				return err
			}
			rows := rep.Month(month)
			if format == "csv" {
				return indicators.WriteCSV(e.stdout, rows)
			}
			return indicators.WriteJSON(e.stdout, rows)
		},
	}
	f := c.Flags()
	f.StringVar(&month, "month", "", "tháng YYYY-MM, giờ Việt Nam (month, e.g. 2026-11)")
	f.StringVar(&format, "format", "csv", "csv hoặc json (csv or json)")
	return c
}
