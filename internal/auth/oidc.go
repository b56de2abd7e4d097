package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// OIDCConfig configures sign-in with an external OpenID Connect provider
// (for example the province's single sign-on). Claims name where the
// provider puts an official's agency and roles.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string   // https://console.example/console/oidc/callback
	Scopes       []string // default: openid profile email

	AgencyClaim string // default "agency"
	RolesClaim  string // default "roles"; a list or a space/comma separated string
	// RolePrefix is stripped from role values ("hoso:" turns "hoso:approver"
	// into approver); values that are not hoso roles are ignored.
	RolePrefix string

	// Require lists the claims an ID token must carry for a sign-in; nil
	// means {AgencyClaim}, as an official needs an agency. A citizen's
	// sign-in requires the claim holding the personal ID number instead.
	Require []string
}

// Identity is what a provider says about a signed-in official.
type Identity struct {
	Subject string // issuer + "|" + sub: unique across providers
	ID      string // proposed account id (preferred_username, else email, else sub)
	Name    string
	Email   string
	Agency  string
	Roles   []string
	Claims  map[string]any // every claim of the ID token
}

// Claim returns the string claim name, trimmed and NFC ("" when absent or
// not a string).
func (id Identity) Claim(name string) string {
	s, _ := id.Claims[name].(string)
	return vntext.NFC(strings.TrimSpace(s))
}

// OIDC performs the authorization-code flow with PKCE and verifies ID tokens.
type OIDC struct {
	cfg      OIDCConfig
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// NewOIDC discovers the provider at cfg.Issuer. It fails when the provider is
// unreachable, so that a misconfiguration shows at start-up.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, fmt.Errorf("oidc: issuer, client id and redirect URL are required")
	}
	if cfg.AgencyClaim == "" {
		cfg.AgencyClaim = "agency"
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = "roles"
	}
	if cfg.Require == nil {
		cfg.Require = []string{cfg.AgencyClaim}
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		cfg:      cfg,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: cfg.Scopes,
		},
	}, nil
}

// AuthCodeURL is where to send the browser; state, nonce and verifier are
// fresh secrets that the caller keeps (in a short-lived cookie) until the
// callback.
func (o *OIDC) AuthCodeURL(state, nonce, verifier string) string {
	return o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// NewVerifier returns a PKCE code verifier.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// Exchange redeems the code, verifies the ID token and its nonce, and maps
// its claims onto an Identity. It fails when the token lacks a required
// claim (by default the agency).
func (o *OIDC) Exchange(ctx context.Context, code, nonce, verifier string) (Identity, error) {
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("oidc: exchange code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Identity{}, errors.New("oidc: no id_token in token response")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("oidc: verify id_token: %w", err)
	}
	if !Equal(idt.Nonce, nonce) {
		return Identity{}, errors.New("oidc: nonce mismatch")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("oidc: decode claims: %w", err)
	}
	return o.mapClaims(idt.Issuer, idt.Subject, claims)
}

func (o *OIDC) mapClaims(issuer, sub string, c map[string]any) (Identity, error) {
	str := func(k string) string { s, _ := c[k].(string); return vntext.NFC(strings.TrimSpace(s)) }
	id := Identity{Subject: issuer + "|" + sub, Name: str("name"), Email: str("email"), Agency: str(o.cfg.AgencyClaim), Claims: c}
	id.ID = strings.ToLower(str("preferred_username"))
	if id.ID == "" {
		id.ID = strings.ToLower(id.Email)
	}
	if id.ID == "" || !idPattern.MatchString(id.ID) {
		id.ID = "oidc-" + strings.ToLower(sanitizeID(sub))
	}
	if id.Name == "" {
		id.Name = id.ID
	}
	var vals []string
	switch v := c[o.cfg.RolesClaim].(type) {
	case string:
		vals = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				vals = append(vals, s)
			}
		}
	}
	for _, v := range vals {
		v = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), o.cfg.RolePrefix))
		for _, r := range AllRoles {
			if v == r {
				id.Roles = append(id.Roles, r)
			}
		}
	}
	for _, k := range o.cfg.Require {
		switch {
		case k == o.cfg.AgencyClaim && id.Agency == "":
			return id, dossier.Errorf(dossier.CodeForbidden, "tài khoản SSO chưa được gán cơ quan (claim %q); liên hệ quản trị viên (no agency claim)", o.cfg.AgencyClaim)
		case id.Claim(k) == "":
			return id, dossier.Errorf(dossier.CodeForbidden, "nhà cung cấp định danh không gửi thông tin %q (the identity provider sent no %q claim)", k, k)
		}
	}
	return id, nil
}

func sanitizeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '.' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() > 50 {
		return b.String()[:50]
	}
	return b.String()
}

// OIDCConfigFrom takes the provider settings from c (HOSO_OIDC_ISSUER,
// HOSO_OIDC_CLIENT_ID, HOSO_OIDC_CLIENT_SECRET, HOSO_OIDC_REDIRECT_URL and
// the claim mapping HOSO_OIDC_AGENCY_CLAIM, HOSO_OIDC_ROLES_CLAIM,
// HOSO_OIDC_ROLE_PREFIX, HOSO_OIDC_SCOPES). ok is false when no issuer is
// set (SSO disabled).
func OIDCConfigFrom(c config.Config) (cfg OIDCConfig, ok bool) {
	cfg = OIDCConfig{
		Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret, RedirectURL: c.OIDCRedirectURL,
		AgencyClaim: c.OIDCAgencyClaim, RolesClaim: c.OIDCRolesClaim, RolePrefix: c.OIDCRolePrefix, Scopes: c.OIDCScopes,
	}
	return cfg, cfg.Issuer != ""
}

// CitizenOIDCConfigFrom takes the citizens' provider settings from c
// (HOSO_CITIZEN_OIDC_ISSUER, HOSO_CITIZEN_OIDC_CLIENT_ID,
// HOSO_CITIZEN_OIDC_CLIENT_SECRET, HOSO_CITIZEN_OIDC_REDIRECT_URL) and the
// claim that holds the personal ID number (HOSO_CITIZEN_OIDC_ID_CLAIM), which
// the ID token must carry; no agency is needed. ok is false when no issuer
// is set (citizens sign in with codes only).
func CitizenOIDCConfigFrom(c config.Config) (cfg OIDCConfig, idClaim string, ok bool) {
	idClaim = c.CitizenOIDCIDClaim
	if idClaim == "" {
		idClaim = DefaultCitizenIDClaim
	}
	cfg = OIDCConfig{
		Issuer: c.CitizenOIDCIssuer, ClientID: c.CitizenOIDCClientID, ClientSecret: c.CitizenOIDCClientSecret,
		RedirectURL: c.CitizenOIDCRedirectURL, Scopes: []string{oidc.ScopeOpenID, "profile"}, Require: []string{idClaim},
	}
	return cfg, idClaim, cfg.Issuer != ""
}

// DefaultCitizenIDClaim is the ID-token claim read for a citizen's personal
// ID number unless HOSO_CITIZEN_OIDC_ID_CLAIM says otherwise.
const DefaultCitizenIDClaim = "national_id"
