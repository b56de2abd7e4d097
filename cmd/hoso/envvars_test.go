package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/config"
)

// TestEnvCommand: `hoso env` lists every declared variable with its default
// and current value, masks secrets, and names a bad variable; --markdown is
// the README's table.
func TestEnvCommand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"OPENAI_API_KEY": "sk-khong-duoc-lo", "HOSO_LLM_MAX_CONCURRENT": "4", "HOME": "/home/canbo"}
	hoso := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errb)
		return out.String(), err
	}
	out, err := hoso("env")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars {
		if !strings.Contains(out, v.Name) {
			t.Errorf("hoso env does not list %s", v.Name)
		}
	}
	if strings.Contains(out, "sk-khong-duoc-lo") || !strings.Contains(out, "BIẾN (variable)") {
		t.Errorf("secret shown or header missing:\n%s", out)
	}
	out, err = hoso("env", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Variables []config.Setting `json:"variables"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Variables {
		if s.Name == "HOSO_LLM_MAX_CONCURRENT" && (s.Value != "4" || !s.Set) {
			t.Errorf("HOSO_LLM_MAX_CONCURRENT = %+v", s)
		}
	}
	if out, _ = hoso("env", "--markdown"); out != config.Markdown() {
		t.Errorf("--markdown differs from config.Markdown")
	}
	vars["HOSO_LLM_REDACT"] = "maybe"
	if _, err := hoso("env"); err == nil || !strings.Contains(err.Error(), "HOSO_LLM_REDACT") {
		t.Errorf("bad HOSO_LLM_REDACT: err = %v", err)
	}
}
