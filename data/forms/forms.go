// Package forms embeds the blank form templates of this directory (see
// README.md), so that the document classifier can recognise a paper by the
// template it was filled from.
package forms

import "embed"

// Files holds the templates (*.txt).
//
//go:embed *.txt
var Files embed.FS
