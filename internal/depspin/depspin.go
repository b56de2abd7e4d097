// Package depspin pins the modules that packages under construction will use,
// so that parallel work does not race on go.mod. It is removed once every
// dependency is imported by real code.
package depspin

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/ledongthuc/pdf"
	_ "github.com/nats-io/nats-server/v2/server"
	_ "github.com/nats-io/nats.go/jetstream"
	_ "github.com/oauth2-proxy/mockoidc"
	_ "github.com/pgvector/pgvector-go"
	_ "github.com/pgvector/pgvector-go/pgx"
	_ "github.com/pressly/goose/v3"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/sashabaranov/go-openai"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/crypto/bcrypt"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/text/unicode/norm"
	_ "gopkg.in/yaml.v3"
)
