package pipelines

import _ "embed"

// TriggersYAML is the proactive rule set (internal/trigger parses and
// validates it): which life events draft which suggestions for officials.
//
//go:embed triggers.yaml
var TriggersYAML []byte
