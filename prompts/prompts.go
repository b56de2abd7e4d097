// Package prompts embeds hoso's versioned prompt templates and the JSON
// schema each one's answer must satisfy. A template is never edited in place
// once released: a change is a new file (classify_v2.tmpl), so that every AI
// result stored with a prompt name and hash can be traced to the exact text
// that produced it.
//
// A template defines two blocks, "system" (the instructions, in Vietnamese)
// and "user" (the task input, with document text delimited as data). The
// sibling NAME.schema.json is the output contract; it never has a field that
// could approve, send or otherwise act on a dossier.
package prompts

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"text/template"

	"golang.org/x/text/unicode/norm"
)

//go:embed *.tmpl *.schema.json
var files embed.FS

// Prompt is one versioned template with its output schema.
type Prompt struct {
	Name   string          // e.g. classify_v1
	Hash   string          // sha256 (hex) of the template and the schema source
	Schema json.RawMessage // output JSON schema; empty for prompts without one (repair_v1)
	tmpl   *template.Template
}

// Messages is a rendered prompt: the system instructions and the user turn.
type Messages struct {
	System string
	User   string
}

var (
	loadOnce sync.Once
	loaded   map[string]*Prompt
	loadErr  error
)

func load() (map[string]*Prompt, error) {
	loadOnce.Do(func() {
		loaded = map[string]*Prompt{}
		names, err := fs.Glob(files, "*.tmpl")
		if err != nil {
			loadErr = err
			return
		}
		for _, f := range names {
			name := strings.TrimSuffix(f, ".tmpl")
			src, err := files.ReadFile(f)
			if err != nil {
				loadErr = err
				return
			}
			schema, err := files.ReadFile(name + ".schema.json")
			if err != nil && !isNotExist(err) {
				loadErr = err
				return
			}
			if len(schema) > 0 && !json.Valid(schema) {
				loadErr = fmt.Errorf("prompt %s: schema is not valid JSON", name)
				return
			}
			t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(norm.NFC.String(string(src)))
			if err != nil {
				loadErr = fmt.Errorf("prompt %s: %w", name, err)
				return
			}
			for _, block := range []string{"system", "user"} {
				if t.Lookup(block) == nil {
					loadErr = fmt.Errorf("prompt %s: missing {{define %q}}", name, block)
					return
				}
			}
			h := sha256.New()
			h.Write(src)
			h.Write([]byte{0})
			h.Write(schema)
			loaded[name] = &Prompt{Name: name, Hash: hex.EncodeToString(h.Sum(nil)), Schema: schema, tmpl: t}
		}
	})
	return loaded, loadErr
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

var funcs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"inc": func(i int) int { return i + 1 },
}

// Get returns the prompt called name.
func Get(name string) (*Prompt, error) {
	m, err := load()
	if err != nil {
		return nil, err
	}
	p, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("prompt %q does not exist (have %s)", name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// Names lists the embedded prompts, sorted.
func Names() []string {
	m, _ := load()
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render renders prompt name with data as one text (system, a blank line,
// user) and returns it with the prompt's hash. The text is NFC.
func Render(name string, data any) (text string, hash string, err error) {
	p, err := Get(name)
	if err != nil {
		return "", "", err
	}
	m, err := p.Render(data)
	if err != nil {
		return "", "", err
	}
	return m.System + "\n\n" + m.User, p.Hash, nil
}

// Render renders the two messages of p with data.
func (p *Prompt) Render(data any) (Messages, error) {
	var sys, usr bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&sys, "system", data); err != nil {
		return Messages{}, fmt.Errorf("render prompt %s: %w", p.Name, err)
	}
	if err := p.tmpl.ExecuteTemplate(&usr, "user", data); err != nil {
		return Messages{}, fmt.Errorf("render prompt %s: %w", p.Name, err)
	}
	return Messages{
		System: norm.NFC.String(strings.TrimSpace(sys.String())),
		User:   norm.NFC.String(strings.TrimSpace(usr.String())),
	}, nil
}

// ForTask reports whether name is a prompt that task can render: one of the
// task's own versions (classify_v2 for classify), with an output schema.
func ForTask(task, name string) error {
	if !strings.HasPrefix(name, task+"_v") {
		return fmt.Errorf("task %s cannot use prompt %q: its prompts are named %s_vN", task, name, task)
	}
	p, err := Get(name)
	if err != nil {
		return err
	}
	if len(p.Schema) == 0 {
		return fmt.Errorf("prompt %s has no output schema (prompts/%s.schema.json)", name, name)
	}
	return nil
}
