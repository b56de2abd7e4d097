package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/review"
)

func init() { register(newReviewCmd) }

func newReviewCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Duyệt hoặc từ chối đề xuất (approve or reject suggestions)",
		Long: `Cán bộ duyệt, sửa hoặc từ chối đề xuất trước khi công dân nhìn thấy. Duyệt ghi vào
hộp thư công dân và phát thông báo trên JetStream; từ chối không gửi gì. Mọi thay
đổi được ghi nhật ký kiểm toán.

Dòng lệnh quyết định thay mặt một cán bộ có thật, xác thực bằng mã truy cập API
của cán bộ đó (cấp bằng "hoso user token --id <tài khoản>"), đặt trong biến môi
trường HOSO_TOKEN (hoặc --token; biến môi trường không lộ trong danh sách tiến
trình). Tài khoản phải còn hoạt động, có vai trò approver (duyệt) hoặc reviewer
(từ chối) và thuộc cơ quan tiếp nhận hồ sơ. Đề xuất rủi ro cao cần hai cán bộ khác
nhau duyệt; sửa nội dung (--text) khi duyệt huỷ các lần duyệt trước. Lệnh cần hệ
thống đang chạy (hoso serve, hoặc NATS_URL).

Officials approve, edit or reject suggestions before any citizen sees them.
The CLI decides on behalf of a real official, authenticated by that
official's API token ("hoso user token --id <account>") in HOSO_TOKEN (or
--token; the environment keeps it out of process listings). The account
must be active, hold the approver role (to approve) or reviewer (to reject),
and belong to the dossier's agency. High-risk suggestions need two different
officials; a new text (--text) clears earlier approvals. The command needs
the running system (hoso serve, or NATS_URL).

Ví dụ / example:
  export HOSO_TOKEN=$(hoso user token --id an.nguyen --name cli --ttl 8h)
  hoso review approve HS20261128T142148-7464D38D-s1a2b3c4 --reason "đúng quy định"`,
	}
	var by, token, reason, text string
	var asJSON bool
	mk := func(use, short string, run func(svc *service.Service, cmd *cobra.Command, id string, who review.Actor) (any, error)) *cobra.Command {
		c := &cobra.Command{
			Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx := cmd.Context()
				cfg, err := e.config()
				if err != nil {
					return err
				}
				if token == "" {
					token = cfg.Token
				}
				// Who decides is proven before anything else runs.
				who, err := cliOfficial(ctx, e, token, by)
				if err != nil {
					return err
				}
				pool, err := e.db(ctx)
				if err != nil {
					return err
				}
				svc, err := service.New(ctx, cfg, service.Options{Pool: pool, Log: e.logger(), NoWorkers: true, ReconcileInterval: -1, Join: true})
				if err != nil {
					return err
				}
				defer shutdown(e, svc)
				out, err := run(svc, cmd, args[0], who)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSONOut(e, out)
				}
				printf(e.stdout, "Đã cập nhật đề xuất %s thay mặt %s (updated on behalf of %s)\n", args[0], who.ID, who.ID)
				return nil
			},
		}
		c.Flags().StringVar(&token, "token", "", "mã truy cập API của cán bộ; nên dùng HOSO_TOKEN (the official's API token; prefer HOSO_TOKEN)")
		c.Flags().StringVar(&by, "by", "", "nếu đặt: phải là chủ mã truy cập (if set: must be the token's official)")
		c.Flags().StringVar(&reason, "reason", "", "lý do (reason)")
		c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
		return c
	}
	approve := mk("approve <suggestion-id>", "Duyệt đề xuất (approve)", func(svc *service.Service, cmd *cobra.Command, id string, who review.Actor) (any, error) {
		var edited *string
		if cmd.Flags().Changed("text") {
			edited = &text
		}
		return svc.Review.Approve(cmd.Context(), id, who, reason, edited)
	})
	approve.Flags().StringVar(&text, "text", "", "nội dung đã sửa gửi công dân; huỷ các lần duyệt trước (edited text; clears earlier approvals)")
	reject := mk("reject <suggestion-id>", "Từ chối đề xuất (reject)", func(svc *service.Service, cmd *cobra.Command, id string, who review.Actor) (any, error) {
		return svc.Review.Reject(cmd.Context(), id, who, reason)
	})
	cmd.AddCommand(approve, reject)
	return cmd
}

// cliOfficial authenticates the official a CLI decision is made for: the
// API token must be live and belong to an active account (the review layer
// checks roles and agency again, in the decision's transaction). by, when
// given, must name the same account: it is a check, never a claim.
func cliOfficial(ctx context.Context, e *env, token, by string) (review.Actor, error) {
	if strings.TrimSpace(token) == "" {
		return review.Actor{}, errors.New("cần mã truy cập API của cán bộ: đặt HOSO_TOKEN hoặc --token; cấp mã bằng \"hoso user token --id <tài khoản>\" " +
			"(an official's API token is required: set HOSO_TOKEN or --token; issue one with \"hoso user token --id <account>\")")
	}
	pool, err := e.db(ctx)
	if err != nil {
		return review.Actor{}, err
	}
	u, err := auth.NewStore(pool).TokenUser(ctx, strings.TrimSpace(token))
	if errors.Is(err, auth.ErrBadToken) {
		return review.Actor{}, errors.New("mã truy cập không hợp lệ, đã thu hồi, hết hạn hoặc tài khoản đã bị khoá " +
			"(the API token is unknown, revoked or expired, or its account is disabled)")
	}
	if err != nil {
		return review.Actor{}, err
	}
	if by != "" && by != u.ID {
		return review.Actor{}, fmt.Errorf("--by %q không phải chủ mã truy cập %q (--by does not match the token's official)", by, u.ID)
	}
	return review.Actor{ID: u.ID, Name: u.Name, Agency: u.Agency, Roles: u.Roles}, nil
}
