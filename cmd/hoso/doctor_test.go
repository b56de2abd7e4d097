package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func TestDoctor(t *testing.T) {
	t.Parallel()
	_, dbURL := postgrestest.New(t)
	natsURL := brokertest.Server(t).ClientURL()
	srv := llmtest.NewServer()
	defer srv.Close()
	doctor := func(vars map[string]string, args ...string) (string, error) {
		getenv := func(k string) string { return vars[k] }
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"doctor"}, args...), getenv, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}

	t.Run("LocalOnly", func(t *testing.T) {
		out, err := doctor(map[string]string{"DATABASE_URL": dbURL, "NATS_URL": natsURL}, "--json")
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
			if c.Name == "nats" && (c.Status != "ok" || !strings.Contains(c.Detail, "JetStream")) {
				t.Errorf("nats: %+v", c)
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
			"OPENAI_MODEL": "qwen2.5-7b-instruct", "NATS_URL": natsURL})
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
		out, err := doctor(map[string]string{"DATABASE_URL": dbURL, "NATS_URL": natsURL, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "OPENAI_API_KEY": "sk-test"}, "--json")
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

	// NATS is checked by connecting to it, not by reading the configuration.
	natsCheck := func(t *testing.T, vars map[string]string) (doctorCheck, error) {
		t.Helper()
		out, err := doctor(vars, "--json")
		var rep doctorReport
		if jerr := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &rep); jerr != nil {
			t.Fatalf("%v\n%s", jerr, out)
		}
		for _, c := range rep.Checks {
			if c.Name == "nats" {
				return c, err
			}
		}
		t.Fatalf("no nats check:\n%s", out)
		return doctorCheck{}, err
	}
	t.Run("NATSDown", func(t *testing.T) {
		c, err := natsCheck(t, map[string]string{"DATABASE_URL": dbURL, "NATS_URL": "nats://127.0.0.1:1"})
		var ee exitError
		if c.Status != "fail" || !errors.As(err, &ee) || ee.code == 0 {
			t.Fatalf("unreachable NATS_URL: %+v, exit %v", c, err)
		}
	})
	t.Run("NoRunningServe", func(t *testing.T) {
		// NATS_URL unset and no hoso serve on the data directory: nothing
		// the commands could reach.
		c, err := natsCheck(t, map[string]string{"DATABASE_URL": dbURL, "HOSO_DATA_DIR": t.TempDir()})
		var ee exitError
		if c.Status != "fail" || !strings.Contains(c.Detail, "no running hoso") || !errors.As(err, &ee) || ee.code == 0 {
			t.Fatalf("no server, yet: %+v, exit %v", c, err)
		}
	})
	t.Run("EmbeddedOfARunningServe", func(t *testing.T) {
		vars := map[string]string{"DATABASE_URL": dbURL, "HOSO_DATA_DIR": t.TempDir(), "HOSO_STREAM_PREFIX": "DOCTOR"}
		cfg, err := config.Load(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatal(err)
		}
		// What hoso serve starts: the embedded server in the data directory.
		svc, err := service.New(context.Background(), cfg, service.Options{NoWorkers: true, ReconcileInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close(context.Background())
		c, err := natsCheck(t, vars)
		if err != nil || c.Status != "ok" || !strings.Contains(c.Detail, "embedded") || !strings.Contains(c.Detail, "JetStream") {
			t.Fatalf("running serve: %+v, %v", c, err)
		}
	})
}
