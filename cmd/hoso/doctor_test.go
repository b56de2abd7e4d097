package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func TestDoctor(t *testing.T) {
	t.Parallel()
	_, dbURL := postgrestest.New(t)
	srv := llmtest.NewServer()
	defer srv.Close()
	doctor := func(vars map[string]string, args ...string) (string, error) {
		getenv := func(k string) string { return vars[k] }
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"doctor"}, args...), getenv, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}

	t.Run("LocalOnly", func(t *testing.T) {
		out, err := doctor(map[string]string{"DATABASE_URL": dbURL}, "--json")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var rep doctorReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !rep.OK || len(rep.Providers) != 5 || len(rep.Endpoints) != 0 {
			t.Fatalf("report %+v", rep)
		}
		for _, p := range rep.Providers {
			if p.Provider != "local" {
				t.Errorf("%s served by %s without configuration", p.Task, p.Provider)
			}
		}
		for _, c := range rep.Checks {
			if c.Name == "nats" && !strings.HasPrefix(c.Detail, "embedded") {
				t.Errorf("nats without NATS_URL: %+v", c)
			}
			if c.Name == "database" && (c.Status != "ok" || !strings.Contains(c.Detail, "PostgreSQL")) {
				t.Errorf("database: %+v", c)
			}
			if c.Name == "pgvector" && c.Status != "ok" {
				t.Errorf("pgvector: %+v", c)
			}
		}
	})

	t.Run("EndpointAnswers", func(t *testing.T) {
		out, err := doctor(map[string]string{"DATABASE_URL": dbURL, "OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-test",
			"OPENAI_MODEL": "qwen2.5-7b-instruct", "NATS_URL": "nats://127.0.0.1:4222"})
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{"classify", "openai", "qwen2.5-7b-instruct", "endpoint openai", "Sẵn sàng"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if srv.Calls("/v1/models") == 0 {
			t.Error("doctor did not ask the endpoint for its models")
		}
	})

	t.Run("EndpointDown", func(t *testing.T) {
		out, err := doctor(map[string]string{"DATABASE_URL": dbURL, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "OPENAI_API_KEY": "sk-test"}, "--json")
		var ee exitError
		if !errors.As(err, &ee) || ee.code == 0 {
			t.Fatalf("exit %v, want non-zero\n%s", err, out)
		}
		if !strings.Contains(out, `"ok": false`) {
			t.Errorf("report does not say not ok:\n%s", out)
		}
	})

	t.Run("DatabaseDown", func(t *testing.T) {
		_, err := doctor(map[string]string{"DATABASE_URL": "postgres://root@127.0.0.1:1/hoso?sslmode=disable"})
		var ee exitError
		if !errors.As(err, &ee) || ee.code == 0 {
			t.Fatalf("exit %v, want non-zero", err)
		}
	})
}
