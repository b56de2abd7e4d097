package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func newStore(t *testing.T) (*auth.Store, *time.Time) {
	t.Helper()
	pool, _ := postgrestest.New(t)
	s := auth.NewStore(pool)
	s.Cost = bcrypt.MinCost
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	return s, &now
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	u, err := s.AddUser(ctx, auth.User{ID: "CanBo.An", Name: "Nguyễn Văn An", Agency: "ubnd-q1", Roles: []string{"reviewer,approver"}}, "mat-khau-1")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "canbo.an" || len(u.Roles) != 2 {
		t.Fatalf("normalised user = %+v", u)
	}
	t.Run("Right", func(t *testing.T) {
		got, err := s.CheckPassword(ctx, "canbo.an", "mat-khau-1")
		if err != nil || got.Agency != "ubnd-q1" || !got.Has(auth.RoleApprover) {
			t.Fatalf("CheckPassword = %+v, %v", got, err)
		}
	})
	for name, c := range map[string][2]string{
		"WrongPassword": {"canbo.an", "wrong-password"},
		"UnknownUser":   {"nobody", "mat-khau-1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.CheckPassword(ctx, c[0], c[1]); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("err = %v, want ErrBadCredentials", err)
			}
		})
	}
	t.Run("Duplicate", func(t *testing.T) {
		_, err := s.AddUser(ctx, auth.User{ID: "canbo.an", Name: "X", Agency: "a"}, "")
		if dossier.ErrorCode(err) != dossier.CodeConflict {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("UnknownRole", func(t *testing.T) {
		_, err := s.AddUser(ctx, auth.User{ID: "x1", Name: "X", Agency: "a", Roles: []string{"king"}}, "")
		if dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Disabled", func(t *testing.T) {
		if _, _, err := s.UpdateUser(ctx, "canbo.an", []string{"reviewer"}, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "canbo.an", "mat-khau-1"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("disabled account signed in: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, now := newStore(t)
	s.IdleTimeout = 30 * time.Minute
	if _, err := s.AddUser(ctx, auth.User{ID: "binh", Name: "Bình", Agency: "a", Roles: []string{"reviewer"}}, "12345678"); err != nil {
		t.Fatal(err)
	}
	sess, err := s.CreateSession(ctx, "binh", "test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Live", func(t *testing.T) {
		*now = now.Add(20 * time.Minute)
		got, u, err := s.Session(ctx, sess.ID)
		if err != nil || u.ID != "binh" || got.CSRF != sess.CSRF {
			t.Fatalf("Session = %+v %+v %v", got, u, err)
		}
	})
	t.Run("ActivityExtendsIdle", func(t *testing.T) {
		*now = now.Add(20 * time.Minute) // 40 min after sign-in, 20 after last use
		if _, _, err := s.Session(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IdleTimeout", func(t *testing.T) {
		*now = now.Add(31 * time.Minute)
		if _, _, err := s.Session(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("idle session still valid: %v", err)
		}
	})
	t.Run("MaxAge", func(t *testing.T) {
		s2, err := s.CreateSession(ctx, "binh", "", "")
		if err != nil {
			t.Fatal(err)
		}
		for range 30 { // active every 25 minutes for 12.5 hours
			*now = now.Add(25 * time.Minute)
			if _, _, err = s.Session(ctx, s2.ID); err != nil {
				break
			}
		}
		if !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("session outlived MaxAge: %v", err)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		s3, _ := s.CreateSession(ctx, "binh", "", "")
		if err := s.DeleteSession(ctx, s3.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Session(ctx, s3.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("deleted session valid: %v", err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		if _, _, err := s.Session(ctx, "made-up"); !errors.Is(err, auth.ErrNoSession) {
			t.Fatal(err)
		}
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, now := newStore(t)
	if _, err := s.AddUser(ctx, auth.User{ID: "portal", Name: "Cổng DVC", Agency: "a", Roles: []string{"reviewer"}}, ""); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := s.CreateToken(ctx, "portal", "cổng quốc gia", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.TokenUser(ctx, secret); err != nil || u.ID != "portal" {
		t.Fatalf("TokenUser = %+v, %v", u, err)
	}
	for name, bad := range map[string]string{"Garbage": "hoso_nope", "NoPrefix": "abc", "Tampered": secret + "x"} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.TokenUser(ctx, bad); !errors.Is(err, auth.ErrBadToken) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("Expired", func(t *testing.T) {
		saved := *now
		*now = now.Add(2 * time.Hour)
		defer func() { *now = saved }()
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, auth.ErrBadToken) {
			t.Fatalf("expired token accepted: %v", err)
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, auth.ErrBadToken) {
			t.Fatalf("revoked token accepted: %v", err)
		}
	})
}
