package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/hoso-vn/hoso/"

// Layers, from the top: a package may import its own layer and the layers
// below it, never one above. Paths are relative to the module; a path names
// the package and everything under it. Packages of internal/ not named here
// are domain and adapters.
var layers = []struct {
	name string
	pkgs []string
}{
	{"cmd", []string{"cmd", "evals", "drills"}},
	{"app", []string{"app/service", "app/api", "app/web", "app/replay", "app/shadow",
		"app/pipelinestore", "app/trigger", "app/systemtest"}},
	{"workers", []string{"workers"}},
	{"pipelines", []string{"pipelines"}},
	{"domain & adapters", []string{"internal"}},
	{"prompts", []string{"prompts"}},
}

// layerUp are import arrows allowed to point up, "from → to" by package,
// with the reason. It is empty: an arrow that points up fails the test.
var layerUp = map[string]string{}

// ackers may settle a JetStream message (Ack, Nak, Term, InProgress…).
var ackers = []string{"workers"}

// ackOutside: packages that still settle messages themselves.
var ackOutside = map[string]string{}

// envReaders may read the process environment: the config package, the
// extractor's sandbox re-exec (the child learns it is the sandbox from its
// environment) and the test kits, which find their services there.
var envReaders = []string{"internal/config", "internal/doctext", "internal/broker/brokertest",
	"internal/postgres/postgrestest", "app/systemtest", "internal/llm/llmtest"}

// envOutside: packages that still read the environment themselves; every
// variable is declared once in internal/config (config.Vars).
var envOutside = map[string]string{}

// storage are the storage adapters, the only homes of SQL: the record
// store, the migrations and their test kit, and any package's store.go.
var storage = []string{"internal/store", "internal/postgres"}

// sqlOutside: packages that still hold SQL outside a store.go, with the
// reason; an entry that no longer applies fails the test.
var sqlOutside = map[string]string{}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func TestArchitecture(t *testing.T) {
	t.Parallel()
	pkgs := list(t)
	t.Run("Layers", func(t *testing.T) {
		got := map[string]bool{}
		for _, p := range pkgs {
			from, lf := layerOf(p.ImportPath)
			for _, imp := range p.Imports {
				if !strings.HasPrefix(imp, module) {
					continue
				}
				to, lt := layerOf(imp)
				if lt < lf { // a smaller index is a higher layer
					got[from+" → "+to] = true
				}
			}
		}
		check(t, "imports a higher layer", got, layerUp)
	})
	t.Run("OneAckPath", func(t *testing.T) {
		check(t, "settles a JetStream message outside workers", scan(t, pkgs, ackers, ackCalls), ackOutside)
	})
	t.Run("OneEnvReader", func(t *testing.T) {
		check(t, "reads the environment outside internal/config", scan(t, pkgs, envReaders, envCalls), envOutside)
	})
	t.Run("SQLInStorage", func(t *testing.T) {
		check(t, "holds SQL outside the storage adapters", scan(t, pkgs, storage, sqlIn), sqlOutside)
	})
}

// check fails for every violation not in allow, and for every allow entry
// no longer violated, so the allowlist only shrinks.
func check(t *testing.T, what string, got map[string]bool, allow map[string]string) {
	t.Helper()
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := allow[k]; ok {
			t.Logf("allowed: %s %s (%s)", k, what, allow[k])
			continue
		}
		t.Errorf("%s %s; see docs/architecture.md", k, what)
	}
	for k := range allow {
		if !got[k] {
			t.Errorf("%s no longer %s: remove its allowlist entry", k, what)
		}
	}
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		p.ImportPath = strings.TrimPrefix(p.ImportPath, module)
		if p.ImportPath != "internal/archtest" {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; run from the module", len(pkgs))
	}
	return pkgs
}

// layerOf returns the package's path relative to the module and the index
// of its layer.
func layerOf(path string) (string, int) {
	path = strings.TrimPrefix(path, module)
	for i, l := range layers {
		for _, p := range l.pkgs {
			if under(path, p) {
				return path, i
			}
		}
	}
	return path, len(layers) - 1
}

func under(path, p string) bool { return path == p || strings.HasPrefix(path, p+"/") }

// scan parses every non-test file of every package not under an exempt
// path and returns the packages where find reports something.
func scan(t *testing.T, pkgs []pkg, exempt []string, find func(f *ast.File, name string) bool) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, p := range pkgs {
		if slices.ContainsFunc(exempt, func(e string) bool { return under(p.ImportPath, e) }) {
			continue
		}
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if find(f, name) {
				got[p.ImportPath] = true
			}
		}
	}
	return got
}

// importName returns the name file f uses for import path, or "".
func importName(f *ast.File, path string) string {
	for _, s := range f.Imports {
		if p, _ := strconv.Unquote(s.Path.Value); p == path {
			if s.Name != nil {
				return s.Name.Name
			}
			return path[strings.LastIndex(path, "/")+1:]
		}
	}
	return ""
}

// ackCalls finds a settling call (Ack, Nak, Term, InProgress…) in a file
// that holds NATS messages: one that imports nats.go or its jetstream.
func ackCalls(f *ast.File, _ string) bool {
	if importName(f, "github.com/nats-io/nats.go/jetstream") == "" && importName(f, "github.com/nats-io/nats.go") == "" {
		return false
	}
	settle := []string{"Ack", "DoubleAck", "Nak", "NakWithDelay", "Term", "TermWithReason", "InProgress"}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if s, ok := c.Fun.(*ast.SelectorExpr); ok && slices.Contains(settle, s.Sel.Name) {
				found = true
			}
		}
		return !found
	})
	return found
}

// envCalls finds os.Getenv, os.LookupEnv or os.Environ, called or passed
// on as a value, and a variable read by name through an injected getenv
// (getenv("HOSO_…")): a package that names variables declares
// configuration, which belongs in internal/config.
func envCalls(f *ast.File, _ string) bool {
	os := importName(f, "os")
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && os != "" && x.Name == os && slices.Contains([]string{"Getenv", "LookupEnv", "Environ"}, n.Sel.Name) {
				found = true
			}
		case *ast.CallExpr:
			var name string
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if strings.EqualFold(name, "getenv") && len(n.Args) == 1 {
				if l, ok := n.Args[0].(*ast.BasicLit); ok && l.Kind == token.STRING {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

var sqlText = regexp.MustCompile(`(?is)\bSELECT\b.+\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b`)

// sqlIn finds SQL in a file other than a store.go: a string literal that
// reads as a statement, or a Query/QueryRow/Exec/SendBatch/CopyFrom call in
// a file that imports pgx.
func sqlIn(f *ast.File, name string) bool {
	if name == "store.go" {
		return false
	}
	pgx := slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return strings.Contains(s.Path.Value, "github.com/jackc/pgx") })
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				if s, err := strconv.Unquote(n.Value); err == nil && sqlText.MatchString(s) {
					found = true
				}
			}
		case *ast.CallExpr:
			if s, ok := n.Fun.(*ast.SelectorExpr); ok && pgx &&
				slices.Contains([]string{"Query", "QueryRow", "Exec", "SendBatch", "CopyFrom"}, s.Sel.Name) {
				found = true
			}
		}
		return !found
	})
	return found
}
