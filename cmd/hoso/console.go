package main

import (
	"context"
	"net/http"

	"github.com/hoso-vn/hoso/app/api"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/citizen"
)

// consoleMount mounts the officials' console at / and gives the API its
// authentication (session cookie with CSRF header, or a bearer API token).
func consoleMount(ctx context.Context, e *env, svc *service.Service, a *api.Server, mux *http.ServeMux) error {
	wcfg := web.ConfigFrom(svc.Config)
	var err error
	deps := web.Deps{
		Pool:        svc.Pool,
		Log:         e.logger(),
		Review:      svc.Review,
		Files:       web.ObjectFiles{Pool: svc.Pool, Store: svc.Broker.Files},
		DeadLetters: svc.DeadLetters,
		Pipelines:   svc.Pipelines,
		Shadow:      svc.Shadow,
		Registry:    svc.Registry,
		// Citizens sign in on /citizen with a code sent on <prefix>.notify.<citizen>.
		Citizens: &citizen.Service{Pool: svc.Pool, Notifier: citizen.BrokerNotifier{Broker: svc.Broker}, Log: e.logger()},
	}
	if svc.Corrections != nil { // never a typed nil in the interface
		deps.Corrections = svc.Corrections
	}
	if svc.Catalog != nil { // never a typed nil in the interface
		deps.Procedures = svc.Catalog
	}
	if oc, ok := auth.OIDCConfigFrom(svc.Config); ok {
		if deps.OIDC, err = auth.NewOIDC(ctx, oc); err != nil {
			return err
		}
	}
	if oc, claim, ok := auth.CitizenOIDCConfigFrom(svc.Config); ok {
		// Citizens may also sign in on /citizen with their digital identity.
		if deps.CitizenOIDC, err = auth.NewOIDC(ctx, oc); err != nil {
			return err
		}
		deps.CitizenIDClaim = claim
	}
	c, err := web.New(deps, wcfg)
	if err != nil {
		return err
	}
	a.Deps.Authenticate = c.APIAuthenticate
	mux.Handle("/", c.Handler())
	return nil
}
