package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hoso-vn/hoso/prompts"
)

var (
	schemaMu sync.Mutex
	schemas  = map[string]*jsonschema.Schema{}
)

// compiled returns the compiled output schema of prompt p.
func compiled(p *prompts.Prompt) (*jsonschema.Schema, error) {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	key := p.Name + "@" + p.Hash
	if s, ok := schemas[key]; ok {
		return s, nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(p.Schema))
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", p.Name, err)
	}
	c := jsonschema.NewCompiler()
	url := "mem:///" + p.Name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", p.Name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", p.Name, err)
	}
	schemas[key] = s
	return s, nil
}

// parseReply extracts one JSON object from a model reply and validates it
// against the schema. Some servers wrap JSON in a Markdown fence even when
// asked not to; a fence is accepted, any other surrounding text is not.
// The returned bytes are the canonical (re-marshalled) JSON.
func parseReply(sch *jsonschema.Schema, content, finish string) (json.RawMessage, error) {
	s := strings.TrimSpace(content)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(s, "```json")
		s = strings.TrimPrefix(s, "```")
		s = strings.TrimSuffix(strings.TrimSpace(s), "```")
		s = strings.TrimSpace(s)
	}
	if s == "" {
		return nil, fmt.Errorf("the reply is empty")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if finish == "length" {
			return nil, fmt.Errorf("the reply was cut off (finish_reason length): %v", err)
		}
		return nil, fmt.Errorf("the reply is not JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("the reply has text after the JSON object")
	}
	if m, ok := v.(map[string]any); ok {
		if _, tool := m["__tool_call__"]; tool {
			return nil, fmt.Errorf("the reply is a tool call, but no tools exist")
		}
	}
	// jsonschema wants its own number representation.
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("the reply is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		return nil, fmt.Errorf("the reply does not match the schema: %s", oneLine(err.Error()))
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}
