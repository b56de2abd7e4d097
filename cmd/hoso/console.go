package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hoso-vn/hoso/internal/api"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/service"
	"github.com/hoso-vn/hoso/internal/shadow"
	"github.com/hoso-vn/hoso/internal/web"
)

// consoleMount mounts the officials' console at / and gives the API its
// authentication (session cookie with CSRF header, or a bearer API token).
func consoleMount(ctx context.Context, e *env, svc *service.Service, a *api.Server, mux *http.ServeMux) error {
	wcfg, err := web.ConfigFromEnv(e.getenv)
	if err != nil {
		return err
	}
	wcfg.StuckAfter = svc.Config.StuckAfter
	if wcfg.ShadowGate, err = shadowReportGate(e); err != nil {
		return err
	}
	deps := web.Deps{
		Pool:        svc.Pool,
		Log:         e.logger(),
		Review:      svc.Review,
		Files:       web.ObjectFiles{Pool: svc.Pool, Store: svc.Broker.Files},
		DeadLetters: svc.DeadLetters,
		Pipelines:   svc.Pipelines,
		Shadow:      svc.Shadow,
	}
	if svc.Catalog != nil { // never a typed nil in the interface
		deps.Procedures = svc.Catalog
	}
	if oc, ok := auth.OIDCConfigFromEnv(e.getenv); ok {
		if deps.OIDC, err = auth.NewOIDC(ctx, oc); err != nil {
			return err
		}
	}
	c, err := web.New(deps, wcfg)
	if err != nil {
		return err
	}
	a.Deps.Actor = c.APIActor
	mux.Handle("/", c.Handler())
	return nil
}

// shadowReportGate is the gate `hoso shadow report` applies without flags,
// read from the command's flag defaults so that the console's shadow page
// judges a candidate exactly as the CLI does.
func shadowReportGate(e *env) (shadow.Gate, error) {
	for _, c := range newShadowCmd(e).Commands() {
		if c.Name() != "report" {
			continue
		}
		var g shadow.Gate
		var errs [3]error
		g.Tolerance, errs[0] = c.Flags().GetFloat64("tolerance")
		g.MinDecided, errs[1] = c.Flags().GetInt("min-decided")
		g.MinAgreement, errs[2] = c.Flags().GetFloat64("min-agreement")
		if err := errors.Join(errs[:]...); err != nil {
			return g, fmt.Errorf("shadow report gate: %w", err)
		}
		return g, nil
	}
	return shadow.Gate{}, errors.New("shadow report gate: no report subcommand")
}
