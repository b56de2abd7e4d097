package indicators

import (
	"fmt"
	"html/template"
	"strings"
)

// Chart is a bar chart of one indicator over months, drawn as inline SVG on
// the server (no script, no style attributes: the console's CSP allows
// neither).
type Chart struct {
	ID     string     // unique on the page, for aria-labelledby
	Title  string     // accessible name
	Labels []string   // under each bar (months)
	Values []*float64 // nil: no data that month
	Max    float64    // top of the scale; 0: the largest value
	Target *float64   // a dashed target line, when the Programme sets one
	// Format writes a value (a percentage, hours).
	Format func(float64) string
	// TargetLabel is written beside the target line.
	TargetLabel string
}

// SVG renders the chart.
func (c Chart) SVG() template.HTML {
	const w, h, left, bottom, top = 340.0, 150.0, 8.0, 22.0, 18.0
	maxV := c.Max
	if maxV == 0 {
		for _, v := range c.Values {
			if v != nil && *v > maxV {
				maxV = *v
			}
		}
		if maxV == 0 {
			maxV = 1
		}
	}
	n := max(len(c.Values), 1)
	slot := (w - left*2) / float64(n)
	bw := slot * 0.62
	plot := h - bottom - top
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-t" xmlns="http://www.w3.org/2000/svg">`, w, h, esc(c.ID))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title>`, esc(c.ID), esc(c.Title))
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8c959f" stroke-width="1"/>`, left, h-bottom, w-left, h-bottom)
	for i, v := range c.Values {
		x := left + slot*float64(i) + (slot-bw)/2
		label := ""
		if i < len(c.Labels) {
			label = c.Labels[i]
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#57606a">%s</text>`, x+bw/2, h-6, esc(label))
		if v == nil {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#57606a">—</text>`, x+bw/2, h-bottom-4)
			continue
		}
		bh := max(0, min(*v/maxV, 1)) * plot
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0b5cad"><title>%s: %s</title></rect>`,
			x, h-bottom-bh, bw, bh, esc(label), esc(c.Format(*v)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#1b1f24">%s</text>`, x+bw/2, h-bottom-bh-4, esc(c.Format(*v)))
	}
	if c.Target != nil {
		y := h - bottom - min(*c.Target/maxV, 1)*plot
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9a6700" stroke-width="1.5" stroke-dasharray="5 4"/>`, left, y, w-left, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end" fill="#7a5200">%s</text>`, w-left, y-3, esc(c.TargetLabel))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
