package indicators

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// MinCount is the smallest count published in the open-data export: a
// count below it is suppressed (null in JSON, empty in CSV), and so is any
// share, median or mean that would let a reader work one out.
const MinCount = 5

// cell is one published value.
type cell struct {
	name  string
	value *float64 // nil: suppressed or undefined
	share bool     // a share (0..1) or other ratio: 4 decimals
}

func count(name string, n int) cell {
	if n < MinCount {
		return cell{name: name}
	}
	v := float64(n)
	return cell{name: name, value: &v}
}

// ratio publishes num/den only when neither the group nor its complement
// is a small count (1 to MinCount-1): 2 late decisions out of 40 would
// otherwise be readable from an on-time share of 95%.
func ratio(name string, num, den int) cell {
	rest := den - num
	if num < MinCount || den < MinCount || (rest > 0 && rest < MinCount) {
		return cell{name: name, share: true}
	}
	v := float64(num) / float64(den)
	return cell{name: name, value: &v, share: true}
}

func gated(name string, v *float64, n int) cell {
	if n < MinCount || v == nil {
		return cell{name: name, share: true}
	}
	return cell{name: name, value: v, share: true}
}

// openCells is one published row, in the documented column order
// (docs/indicators.md).
func openCells(x Figures) []cell {
	return []cell{
		count("dossiers", x.Dossiers),
		count("prechecked_by_ai", x.PrecheckedByAI),
		ratio("precheck_share", x.PrecheckedByAI, x.Dossiers),
		count("required_documents", x.RequiredDocuments),
		count("reused_documents", x.ReusedDocuments),
		ratio("reuse_share", x.ReusedDocuments, x.RequiredDocuments),
		count("decided", x.Decided),
		count("decided_on_time", x.OnTime),
		ratio("on_time_share", x.OnTime, x.Decided),
		gated("median_decision_working_hours", x.MedianDecisionHours, x.Decided),
		count("suggestions_decided", x.SuggestionsDecided),
		count("approved_unchanged", x.ApprovedUnchanged),
		count("approved_edited", x.ApprovedEdited),
		count("rejected", x.Rejected),
		ratio("agreement_share", x.ApprovedUnchanged, x.SuggestionsDecided),
		count("prechecks_audited", x.PrechecksAudited),
		count("findings_corrected", x.FindingsCorrected),
		ratio("correction_share", x.FindingsCorrected, x.PrechecksAudited),
		count("ratings", x.Ratings),
		count("satisfied", x.Satisfied),
		ratio("satisfaction_share", x.Satisfied, x.Ratings),
		gated("mean_score", x.MeanScore, x.Ratings),
	}
}

func (c cell) text() string {
	if c.value == nil {
		return ""
	}
	if c.share {
		return strconv.FormatFloat(math.Round(*c.value*10000)/10000, 'f', -1, 64)
	}
	return strconv.FormatFloat(*c.value, 'f', 0, 64)
}

// WriteCSV writes the open-data rows of figs (one per agency and month,
// "*" for every agency): a header, then values; suppressed cells are empty.
func WriteCSV(w io.Writer, figs []Figures) error {
	cw := csv.NewWriter(w)
	header := []string{"month", "agency"}
	for _, c := range openCells(Figures{}) {
		header = append(header, c.name)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, x := range figs {
		row := []string{x.Month, x.Agency}
		for _, c := range openCells(x) {
			row = append(row, c.text())
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the same rows as a JSON document: {"suppression_min_count":
// 5, "rows": [{"month": …, "agency": …, <column>: number or null, …}]}.
func WriteJSON(w io.Writer, figs []Figures) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"source\": \"hoso\",\n  \"suppression_min_count\": %d,\n  \"rows\": [", MinCount)
	for i, x := range figs {
		if i > 0 {
			b.WriteString(",")
		}
		m, _ := json.Marshal(x.Month)
		a, _ := json.Marshal(x.Agency)
		fmt.Fprintf(&b, "\n    {\"month\": %s, \"agency\": %s", m, a)
		for _, c := range openCells(x) {
			v := c.text()
			if v == "" {
				v = "null"
			}
			fmt.Fprintf(&b, ", %q: %s", c.name, v)
		}
		b.WriteString("}")
	}
	b.WriteString("\n  ]\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}
