package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/workcal"
)

func init() { register(newUserCmd) }

// cliActor names the operator of a CLI command in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

func newUserCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Quản lý tài khoản cán bộ (manage officials' accounts)",
		Long: `Tạo, liệt kê, khoá tài khoản cán bộ và cấp mã truy cập API. Mỗi tài khoản thuộc một
cơ quan (mã trong bảng cơ quan, xem hoso agency list) và chỉ thấy hồ sơ của cơ quan đó;
quản trị (admin) thấy mọi cơ quan. Vai trò: reviewer (xem xét, sửa, từ chối
đề xuất), approver (duyệt), admin (quản lý người dùng, xem nhật ký), operator (vận hành).
Mọi thay đổi được ghi vào nhật ký kiểm toán.

Create, list and disable officials' accounts and issue API tokens. Each
account belongs to one agency (a code of the agencies table, see hoso agency
list) and sees only that agency's dossiers; admins see every agency. Every
change is written to the audit log.`,
	}
	cmd.AddCommand(newUserAddCmd(e), newUserListCmd(e), newUserTokenCmd(e), newUserDisableCmd(e), newUserPasswdCmd(e))
	return cmd
}

func newUserAddCmd(e *env) *cobra.Command {
	var u auth.User
	var roles string
	var stdinPw, noPw bool
	c := &cobra.Command{
		Use:   "add",
		Short: "Tạo tài khoản cục bộ (add a local account)",
		Long: `Tạo tài khoản đăng nhập bằng mật khẩu. Với --password-stdin, mật khẩu được đọc từ dòng
đầu của đầu vào chuẩn; nếu không, một mật khẩu ngẫu nhiên được tạo và in ra một lần.

Cơ quan phải là mã của một cơ quan đang hoạt động (hoso agency list).

Creates a password account for an active agency code (hoso agency list). With --password-stdin the password is the first
line of standard input; otherwise a random one is generated and printed once.

  echo 'mat-khau-manh' | hoso user add --id an.nguyen --name "Nguyễn Thị An" \
      --agency ubnd-phuong-ba-dinh --role reviewer,approver --password-stdin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pw := ""
			generated := false
			switch {
			case stdinPw:
				line, err := bufio.NewReader(e.stdin).ReadString('\n')
				if err != nil && line == "" {
					return fmt.Errorf("đọc mật khẩu từ stdin (read password from stdin): %w", err)
				}
				pw = strings.TrimRight(line, "\r\n")
			case !noPw:
				pw = randomPassword()
				generated = true
			}
			u.Roles = []string{roles}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			ag, err := agency.NewStore(pool).Active(ctx, strings.TrimSpace(u.Agency))
			if err != nil {
				return err
			}
			u.Agency = ag.Code
			store := auth.NewStore(pool)
			created, err := store.AddUser(ctx, u, pw)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "user.add", Entity: "user", EntityID: created.ID, After: created}); err != nil {
				return err
			}
			printf(e.stdout, "Đã tạo tài khoản %s (%s, %s) vai trò %s (user created)\n", created.ID, created.Name, ag.Name+" ("+ag.Code+")", strings.Join(created.Roles, ","))
			if generated {
				printf(e.stdout, "Mật khẩu (password, shown once): %s\n", pw)
			}
			return nil
		},
	}
	c.Flags().StringVar(&u.ID, "id", "", "tên đăng nhập (username), e.g. an.nguyen")
	c.Flags().StringVar(&u.Name, "name", "", "họ tên (display name)")
	c.Flags().StringVar(&u.Agency, "agency", "", "mã cơ quan (agency code), e.g. ubnd-phuong-ba-dinh; see hoso agency list")
	c.Flags().StringVar(&u.Email, "email", "", "email")
	c.Flags().StringVar(&roles, "role", "reviewer", "vai trò, phân cách bằng dấu phẩy (roles: reviewer,approver,admin,operator)")
	c.Flags().BoolVar(&stdinPw, "password-stdin", false, "đọc mật khẩu từ stdin (read the password from stdin)")
	c.Flags().BoolVar(&noPw, "no-password", false, "không đặt mật khẩu: chỉ dùng mã API hoặc SSO (no password: API token or SSO only)")
	for _, f := range []string{"id", "name", "agency"} {
		_ = c.MarkFlagRequired(f)
	}
	return c
}

func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func newUserListCmd(e *env) *cobra.Command {
	var agency string
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê tài khoản (list accounts)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := e.db(cmd.Context())
			if err != nil {
				return err
			}
			users, err := auth.NewStore(pool).Users(cmd.Context(), agency)
			if err != nil {
				return err
			}
			if asJSON {
				if users == nil {
					users = []auth.User{}
				}
				return writeJSONOut(e, users)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			names := agencyNames(cmd.Context(), pool)
			fmt.Fprintln(tw, "TÀI KHOẢN\tHỌ TÊN\tCƠ QUAN\tVAI TRÒ\tNGUỒN\tTRẠNG THÁI\tĐĂNG NHẬP GẦN NHẤT "+workcal.ZoneLabel("vi"))
			for _, u := range users {
				state, last := "hoạt động", "—"
				if u.Disabled {
					state = "đã khoá"
				}
				if u.LastLoginAt != nil {
					last = workcal.Clock(*u.LastLoginAt)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, agencyLabel(names, u.Agency), strings.Join(u.Roles, ","), u.Source, state, last)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&agency, "agency", "", "chỉ cơ quan này (only this agency)")
	c.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return c
}

func newUserTokenCmd(e *env) *cobra.Command {
	var id, name string
	var ttl time.Duration
	var revoke string
	c := &cobra.Command{
		Use:   "token",
		Short: "Cấp hoặc thu hồi mã truy cập API (issue or revoke an API token)",
		Long: `Cấp mã truy cập API cho một tài khoản (để tích hợp, ví dụ Cổng dịch vụ công quốc gia).
Mã chỉ được in một lần; cơ sở dữ liệu chỉ lưu giá trị băm. Gọi API với
"Authorization: Bearer <mã>". Mã có đúng quyền và cơ quan của tài khoản.

Issues an API token for an account (for integrations such as the national
portal). It is printed once; only its hash is stored. Send it as
"Authorization: Bearer <token>"; it carries the account's roles and agency.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			store := auth.NewStore(pool)
			if revoke != "" {
				if err := store.RevokeToken(ctx, revoke); err != nil {
					return err
				}
				if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "token.revoke", Entity: "api_token", EntityID: revoke}); err != nil {
					return err
				}
				printf(e.stdout, "Đã thu hồi mã %s (token revoked)\n", revoke)
				return nil
			}
			if id == "" {
				return fmt.Errorf("cần --id hoặc --revoke (--id or --revoke is required)")
			}
			secret, tok, err := store.CreateToken(ctx, id, name, ttl)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "token.create", Entity: "user", EntityID: id, After: tok}); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, secret)
			return nil
		},
	}
	c.Flags().StringVar(&id, "id", "", "tài khoản (account id)")
	c.Flags().StringVar(&name, "name", "", "tên mã, e.g. cong-dvc (token name)")
	c.Flags().DurationVar(&ttl, "ttl", 0, "thời hạn, e.g. 720h; 0 = không hết hạn (lifetime; 0 = none)")
	c.Flags().StringVar(&revoke, "revoke", "", "thu hồi mã có mã số này (revoke the token with this id)")
	return c
}

func newUserDisableCmd(e *env) *cobra.Command {
	var enable bool
	c := &cobra.Command{
		Use:   "disable <id>",
		Short: "Khoá (hoặc mở khoá với --enable) tài khoản (disable or re-enable an account)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			store := auth.NewStore(pool)
			u, err := store.User(ctx, args[0])
			if err != nil {
				return err
			}
			before, after, err := store.UpdateUser(ctx, u.ID, u.Roles, !enable)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "user.update", Entity: "user", EntityID: u.ID, Before: before, After: after}); err != nil {
				return err
			}
			if enable {
				printf(e.stdout, "Đã mở khoá %s (enabled)\n", u.ID)
			} else {
				printf(e.stdout, "Đã khoá %s; các phiên và mã API đã bị huỷ (disabled; sessions and tokens revoked)\n", u.ID)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&enable, "enable", false, "mở khoá (re-enable)")
	return c
}

func newUserPasswdCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd <id>",
		Short: "Đặt mật khẩu mới, đọc từ stdin (set a new password read from stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			line, err := bufio.NewReader(e.stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("đọc mật khẩu từ stdin (read password from stdin): %w", err)
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			if err := auth.NewStore(pool).SetPassword(ctx, args[0], strings.TrimRight(line, "\r\n")); err != nil {
				return err
			}
			if err := audit.Record(ctx, pool, audit.Entry{Actor: cliActor(), Action: "user.password", Entity: "user", EntityID: args[0]}); err != nil {
				return err
			}
			printf(e.stdout, "Đã đặt mật khẩu mới cho %s (password set)\n", args[0])
			return nil
		},
	}
}
