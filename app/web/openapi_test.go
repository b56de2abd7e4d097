package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIMatchesRoutes keeps docs/openapi.yaml accurate: every route in
// app/api/routes.go is documented, and nothing else is.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                               `yaml:"openapi"`
		Paths   map[string]map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op["responses"] == nil || op["operationId"] == nil {
				t.Errorf("%s %s lacks responses or operationId", method, path)
			}
		}
	}
	routes, err := os.ReadFile("../api/routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, m := range regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+) ([^"]+)"`).FindAllStringSubmatch(string(routes), -1) {
		served = append(served, m[1]+" "+strings.TrimSuffix(m[2], "{$}"))
	}
	slices.Sort(documented)
	slices.Sort(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in docs/openapi.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("docs/openapi.yaml documents %s, which routes.go does not serve", d)
		}
	}
}

// TestOpenAPIErrorCodes keeps the error codes of docs/openapi.yaml true: the
// Error schema's enum is exactly the codes its description maps to statuses,
// and every code the API or its authentication (app/web/session.go)
// writes is in it — the 401 body once said "unauthorized" where the
// document said "unauthenticated".
func TestOpenAPIErrorCodes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info       struct{ Description string } `yaml:"info"`
		Components struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Enum []string `yaml:"enum"`
						} `yaml:"error"`
					} `yaml:"properties"`
				} `yaml:"Error"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	enum := doc.Components.Schemas.Error.Properties.Error.Enum
	desc := strings.Join(strings.Fields(doc.Info.Description), " ")
	_, mapping, ok := strings.Cut(desc, "codes map to statuses:")
	if !ok {
		t.Fatal(`info.description lacks "codes map to statuses:"`)
	}
	mapping, _, _ = strings.Cut(mapping, ".")
	var mapped []string
	for _, m := range regexp.MustCompile(`([a-z_/]+) (\d{3})`).FindAllStringSubmatch(mapping, -1) {
		mapped = append(mapped, strings.Split(m[1], "/")...)
	}
	slices.Sort(mapped)
	sorted := slices.Sorted(slices.Values(enum))
	if !slices.Equal(sorted, mapped) {
		t.Errorf("Error.enum %v ≠ codes mapped to statuses in the description %v", sorted, mapped)
	}
	written := map[string]string{"internal": "server.go"}
	for _, c := range []string{"invalid", "unsupported", "not_found", "conflict", "forbidden", "too_large"} {
		written[c] = "dossier codes (writeError)"
	}
	files, _ := filepath.Glob("../api/*.go")
	files = append(files, "session.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`(?:Error: |code: |apiDeny\(w, [^,]+, )"([a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
			written[m[1]] = f
		}
	}
	for c, f := range written {
		if !slices.Contains(enum, c) {
			t.Errorf("%s writes error code %q, which docs/openapi.yaml does not list", f, c)
		}
	}
}
