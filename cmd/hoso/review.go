package main

import (
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/service"
)

func init() { register(newReviewCmd) }

func newReviewCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Duyệt hoặc từ chối đề xuất (approve or reject suggestions)",
		Long: `Cán bộ duyệt, sửa hoặc từ chối đề xuất trước khi công dân nhìn thấy. Duyệt ghi vào
hộp thư công dân và phát thông báo trên JetStream; từ chối không gửi gì. Mọi thay
đổi được ghi nhật ký kiểm toán. Dòng lệnh chạy với quyền truy cập cơ sở dữ liệu nên
được coi là quản trị; đề xuất rủi ro cao vẫn cần hai người duyệt khác nhau.

Officials approve, edit or reject suggestions before any citizen sees them.
The CLI has database access and acts as an administrator on behalf of --by;
high-risk suggestions still need two different approvers.`,
	}
	var by, reason, text string
	var asJSON bool
	mk := func(use, short string, run func(svc *service.Service, cmd *cobra.Command, id string) (any, error)) *cobra.Command {
		c := &cobra.Command{
			Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cfg, err := e.config()
				if err != nil {
					return err
				}
				svc, err := service.New(cmd.Context(), cfg, service.Options{Log: e.logger(), NoWorkers: true, ReconcileInterval: -1})
				if err != nil {
					return err
				}
				defer shutdown(e, svc)
				out, err := run(svc, cmd, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSONOut(e, out)
				}
				printf(e.stdout, "Đã cập nhật đề xuất %s (updated)\n", args[0])
				return nil
			},
		}
		c.Flags().StringVar(&by, "by", "", "mã cán bộ thực hiện (official id)")
		c.Flags().StringVar(&reason, "reason", "", "lý do (reason)")
		c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
		_ = c.MarkFlagRequired("by")
		return c
	}
	actor := func() review.Actor {
		return review.Actor{ID: by, Roles: []string{review.RoleApprover, review.RoleAdmin}}
	}
	approve := mk("approve <suggestion-id>", "Duyệt đề xuất (approve)", func(svc *service.Service, cmd *cobra.Command, id string) (any, error) {
		var edited *string
		if cmd.Flags().Changed("text") {
			edited = &text
		}
		return svc.Review.Approve(cmd.Context(), id, actor(), reason, edited)
	})
	approve.Flags().StringVar(&text, "text", "", "nội dung đã sửa gửi công dân (edited text)")
	reject := mk("reject <suggestion-id>", "Từ chối đề xuất (reject)", func(svc *service.Service, cmd *cobra.Command, id string) (any, error) {
		return svc.Review.Reject(cmd.Context(), id, actor(), reason)
	})
	cmd.AddCommand(approve, reject)
	return cmd
}
