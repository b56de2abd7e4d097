package trigger

import _ "embed"

// TriggersYAML is the proactive rule set (app/trigger parses and
// validates it): which life events draft which suggestions for officials.
//
//go:embed triggers.yaml
var TriggersYAML []byte
