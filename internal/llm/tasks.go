package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"unicode"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Candidate is one document type the classifier may choose: a requirement
// of the procedure (thành phần hồ sơ).
type Candidate struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// ClassifyResult is a validated classification. Key is one of the
// candidates' keys, dossier.TypeOther or dossier.TypeUnknown.
type ClassifyResult struct {
	Key        string   `json:"key"`
	Confidence float64  `json:"confidence"`
	Evidence   string   `json:"evidence,omitempty"` // verified to occur in the text, else empty
	Call       CallInfo `json:"call"`
}

// maxDocumentRunes bounds the text sent per call; longer documents are cut
// (the first pages carry the title and the fields).
const maxDocumentRunes = 12000

func (c *Client) prepare(task string, meta CallMeta, texts ...string) ([]string, *Redactor, bool) {
	var red *Redactor
	if r := c.routes[task]; r != nil && r.ep != nil && r.ep.ep.RedactionOn() {
		red = NewRedactor(meta.Names)
	}
	flagged := false
	out := make([]string, len(texts))
	for i, t := range texts {
		t = vntext.NFC(t)
		if DetectInjection(t).Flagged {
			flagged = true
		}
		if rs := []rune(t); len(rs) > maxDocumentRunes {
			t = string(rs[:maxDocumentRunes]) + "\n[…]"
		}
		if red != nil {
			t = red.Redact(t)
		}
		out[i] = escapeDelimiters(t)
	}
	return out, red, flagged
}

func redactedCount(r *Redactor) int {
	if r == nil {
		return 0
	}
	return r.Count
}

// ClassifyDocument asks the model which candidate text is. The key is
// checked against the candidates (else one repair attempt, then a permanent
// error); the evidence is kept only when it occurs in the text. Errors are
// classified as described in the package comment. A flagged document
// (CallInfo.InjectionFlagged) should be marked needs_review by the stage
// whatever the result.
func (c *Client) ClassifyDocument(ctx context.Context, meta CallMeta, text string, candidates []Candidate) (ClassifyResult, error) {
	names := make([]string, len(candidates))
	for i, cd := range candidates {
		names[i] = cd.Name
	}
	texts, red, flagged := c.prepare(TaskClassify, meta, text)
	keys := map[string]bool{dossier.TypeOther: true, dossier.TypeUnknown: true}
	cands := make([]Candidate, len(candidates))
	for i, cd := range candidates {
		keys[cd.Key] = true
		cands[i] = Candidate{Key: cd.Key, Name: escapeDelimiters(vntext.NFC(cd.Name))}
	}
	out, info, err := c.complete(ctx, call{
		task: TaskClassify, prompt: c.promptOf(TaskClassify), meta: meta, flagged: flagged, redacted: redactedCount(red),
		data: map[string]any{"Candidates": cands, "Text": texts[0]},
		check: func(raw json.RawMessage) error {
			var v struct {
				DocumentType string `json:"document_type"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return err
			}
			if !keys[v.DocumentType] {
				return fmt.Errorf("document_type %q is not one of the candidate keys, other or unknown", v.DocumentType)
			}
			return nil
		},
	})
	res := ClassifyResult{Call: info}
	if err != nil {
		return res, err
	}
	var v struct {
		DocumentType string  `json:"document_type"`
		Confidence   float64 `json:"confidence"`
		Evidence     string  `json:"evidence"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return res, permanentErr(KindInvalidOutput, TaskClassify, "decode validated output", err)
	}
	res.Key, res.Confidence = v.DocumentType, v.Confidence
	ev := v.Evidence
	if red != nil {
		ev = red.Restore(ev)
	}
	if ev != "" {
		if _, _, ok := findSpan(vntext.NFC(text), ev); ok {
			res.Evidence = ev
		} else {
			res.Call.Rejected = "evidence does not occur in the document"
		}
	}
	if flagged && res.Confidence > 0.5 {
		// A document that tries to instruct the model does not get to be
		// confidently classified by it.
		res.Confidence = 0.5
	}
	return res, nil
}

// ExtractFields asks the model for the fields of a document of type docType.
// Every value is restored from redaction placeholders and located in text;
// fields whose value does not occur are dropped (CallInfo.Rejected says how
// many). Page is 1-based, counting form feeds (\f) as page breaks as
// pdftotext writes them; Start and End are byte offsets into that page.
func (c *Client) ExtractFields(ctx context.Context, meta CallMeta, docType string, text string) ([]dossier.Field, CallInfo, error) {
	texts, red, flagged := c.prepare(TaskExtractFields, meta, text, docType)
	out, info, err := c.complete(ctx, call{
		task: TaskExtractFields, prompt: c.promptOf(TaskExtractFields), meta: meta, flagged: flagged, redacted: redactedCount(red),
		data: map[string]any{"DocType": texts[1], "Text": texts[0]},
	})
	if err != nil {
		return nil, info, err
	}
	var v struct {
		Fields []struct {
			Name    string `json:"name"`
			Value   string `json:"value"`
			Subject string `json:"subject"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, info, permanentErr(KindInvalidOutput, TaskExtractFields, "decode validated output", err)
	}
	src := vntext.NFC(text)
	var fields []dossier.Field
	var dropped []string
	for _, f := range v.Fields {
		val := f.Value
		if red != nil {
			if len(red.Unknown(val)) > 0 {
				dropped = append(dropped, f.Name)
				continue
			}
			val = red.Restore(val)
		}
		val = vntext.NFC(strings.TrimSpace(val))
		start, end, ok := findSpan(src, val)
		if !ok {
			dropped = append(dropped, f.Name)
			continue
		}
		page, pstart := pageOf(src, start)
		fields = append(fields, dossier.Field{
			Name: f.Name, Value: src[start:end], Page: page, Start: start - pstart, End: end - pstart,
			Subject: f.Subject, Confidence: 0.8,
		})
	}
	if len(dropped) > 0 {
		info.Rejected = fmt.Sprintf("%d field(s) dropped because the value does not occur in the text: %s", len(dropped), strings.Join(dropped, ", "))
		c.log.Warn("model fields dropped", "dossier_id", meta.DossierID, "document_id", meta.DocumentID, "fields", dropped)
	}
	return fields, info, nil
}

// findSpan locates needle in hay: exactly, then case-insensitively, then with
// white space collapsed (a value the model wrote on one line that the page
// breaks). It returns byte offsets into hay.
func findSpan(hay, needle string) (int, int, bool) {
	if needle == "" {
		return 0, 0, false
	}
	if i := strings.Index(hay, needle); i >= 0 {
		return i, i + len(needle), true
	}
	words := strings.Fields(needle)
	if len(words) == 0 {
		return 0, 0, false
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = regexp.QuoteMeta(w)
	}
	re, err := regexp.Compile(`(?i)` + strings.Join(parts, `\s+`))
	if err != nil {
		return 0, 0, false
	}
	if loc := re.FindStringIndex(hay); loc != nil {
		return loc[0], loc[1], true
	}
	return 0, 0, false
}

// pageOf returns the 1-based page of byte offset off and where that page starts.
func pageOf(s string, off int) (int, int) {
	page, start := 1, 0
	for i := 0; i < off && i < len(s); i++ {
		if s[i] == '\f' {
			page++
			start = i + 1
		}
	}
	return page, start
}

// PolishSuggestion asks the model to reword an official-facing draft for the
// citizen. It returns the draft itself when the wording adds a number, date,
// document name, contact or an approval claim that neither facts nor draft
// contain, with the reason in CallInfo.Rejected. On error it returns the
// draft too, so the caller always has usable text. The result is only ever
// a pending suggestion: nothing here can approve or send it.
func (c *Client) PolishSuggestion(ctx context.Context, meta CallMeta, facts []string, draft string) (string, CallInfo, error) {
	in := append([]string{draft}, facts...)
	texts, red, flagged := c.prepare(TaskSuggestWording, meta, in...)
	out, info, err := c.complete(ctx, call{
		task: TaskSuggestWording, prompt: c.promptOf(TaskSuggestWording), meta: meta, flagged: flagged, redacted: redactedCount(red),
		data: map[string]any{"Draft": texts[0], "Facts": texts[1:]},
	})
	if err != nil {
		return draft, info, err
	}
	var v struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return draft, info, permanentErr(KindInvalidOutput, TaskSuggestWording, "decode validated output", err)
	}
	text := v.Text
	if red != nil {
		if u := red.Unknown(text); len(u) > 0 {
			info.Rejected = "the wording contains unknown placeholders " + strings.Join(u, ", ")
			return draft, info, nil
		}
		text = red.Restore(text)
	}
	text = vntext.NFC(strings.TrimSpace(text))
	if reason := addedFacts(text, vntext.NFC(draft), facts); reason != "" {
		info.Rejected = reason
		c.log.Warn("polished wording rejected", "dossier_id", meta.DossierID, "reason", reason)
		return draft, info, nil
	}
	return text, info, nil
}

var (
	// Numbers, dates, legal document numbers (123/2015/NĐ-CP), amounts.
	reNumberish = regexp.MustCompile(`\d[\d./\-:,]*(?:/[\p{L}Đđ\-]+)*`)
	reURLish    = regexp.MustCompile(`https?://\S+|www\.\S+|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// Document kinds; the two words after one name the document.
	docWords = []string{"giay", "to khai", "nghi dinh", "thong tu", "luat", "quyet dinh", "so ho khau", "ban sao", "van ban",
		"hop dong", "chung nhan", "can cuoc", "ho chieu", "don", "phieu", "bien ban", "trich luc", "so ho tich"}
	// Claims that the dossier was decided; only an official decides.
	approvalClaims = []string{"da duoc phe duyet", "da phe duyet", "da duoc duyet", "da duyet", "da duoc chap thuan", "da chap thuan",
		"da duoc tiep nhan", "da tiep nhan", "da bi tu choi", "approved", "da hoan tat", "da duoc cap"}
)

// addedFacts returns why text adds facts absent from draft and facts, or "".
func addedFacts(text, draft string, facts []string) string {
	src := draft + "\n" + strings.Join(facts, "\n")
	srcFold := " " + strings.Join(vntext.FoldedTokens(src), " ") + " "
	txtFold := " " + strings.Join(vntext.FoldedTokens(text), " ") + " "
	srcCompact := strings.Join(strings.Fields(src), "")
	for _, n := range reNumberish.FindAllString(text, -1) {
		n = strings.TrimRight(n, ".,:-/")
		if !strings.Contains(srcCompact, n) {
			return fmt.Sprintf("the wording adds %q, which is not in the facts", n)
		}
	}
	for _, u := range reURLish.FindAllString(text, -1) {
		if !strings.Contains(src, strings.TrimRight(u, ".,;)")) {
			return fmt.Sprintf("the wording adds the address %q", u)
		}
	}
	// A decision claim is accepted only when the official's draft makes it:
	// facts may quote a citizen's document, which may claim anything.
	draftFold := " " + strings.Join(vntext.FoldedTokens(draft), " ") + " "
	for _, claim := range approvalClaims {
		if strings.Contains(txtFold, " "+claim+" ") && !strings.Contains(draftFold, " "+claim+" ") {
			return fmt.Sprintf("the wording claims a decision (%q)", claim)
		}
	}
	toks := vntext.FoldedTokens(text)
	for i := range toks {
		for _, w := range docWords {
			ws := strings.Fields(w)
			if i+len(ws)+2 > len(toks) || strings.Join(toks[i:i+len(ws)], " ") != w {
				continue
			}
			phrase := strings.Join(toks[i:i+len(ws)+2], " ")
			if !strings.Contains(srcFold, " "+phrase+" ") {
				// Allow a document name followed by ordinary words ("giấy tờ
				// còn thiếu"): only the first word after the kind must match.
				short := strings.Join(toks[i:i+len(ws)+1], " ")
				if !strings.Contains(srcFold, " "+short+" ") && !commonAfter[toks[i+len(ws)]] {
					return fmt.Sprintf("the wording names a document (%q) that is not in the facts", phrase)
				}
			}
		}
	}
	if len(text) > 3*len(draft)+400 {
		return "the wording is much longer than the draft"
	}
	return ""
}

// commonAfter are words that may follow a document kind without naming a
// document: "giấy tờ", "bản sao có chứng thực", "đơn này"…
var commonAfter = map[string]bool{"to": true, "nay": true, "tren": true, "do": true, "co": true, "con": true, "cua": true, "va": true,
	"theo": true, "hop": true, "da": true, "duoc": true, "can": true, "kem": true, "lien": true, "chinh": true, "chung": true, "de": true, "ve": true}

// ReadPaper is one paper of a procedure's dossier as the model read it:
// its name, whether it is handed in or shown (submit | present), and the
// other papers accepted in its place.
type ReadPaper struct {
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Alternatives []string `json:"alternatives"`
}

// ReadCase is one case of a procedure (Case empty: the papers every
// dossier needs) with its papers.
type ReadCase struct {
	Case         string      `json:"case"`
	Requirements []ReadPaper `json:"requirements"`
}

// ReadStructure asks the model to read a procedure's flattened "thành phần
// hồ sơ" text into its cases, papers and one-of groups, by the rules the
// catalog's gold set was annotated with (prompt catalog_parse_v2). A paper
// or option whose words are not in the text (at least 80% of its
// syllables, accent-insensitively) is dropped and counted in
// CallInfo.Rejected: the model may shorten a name, never invent one. Public
// catalog text carries no personal data and is not redacted.
func (c *Client) ReadStructure(ctx context.Context, meta CallMeta, procedureName, text string) ([]ReadCase, CallInfo, error) {
	src := vntext.NFC(text)
	if rs := []rune(src); len(rs) > maxDocumentRunes {
		src = string(rs[:maxDocumentRunes])
	}
	out, info, err := c.complete(ctx, call{
		task: TaskCatalogParse, prompt: c.promptOf(TaskCatalogParse), meta: meta, flagged: DetectInjection(src).Flagged,
		data: map[string]any{"ProcedureName": escapeDelimiters(vntext.NFC(procedureName)), "Text": escapeDelimiters(src)},
	})
	if err != nil {
		return nil, info, err
	}
	var v struct {
		Cases []ReadCase `json:"cases"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, info, permanentErr(KindInvalidOutput, TaskCatalogParse, "decode validated output", err)
	}
	inText := textWords(src)
	dropped := 0
	var cases []ReadCase
	for _, rc := range v.Cases {
		// A case heading is a label of the grouping, kept as read even when
		// the model worded it: dropping it would make its papers required
		// in every case.
		rc.Case = vntext.NFC(strings.TrimSpace(rc.Case))
		var papers []ReadPaper
		for _, r := range rc.Requirements {
			r.Name = vntext.NFC(strings.TrimSpace(r.Name))
			if !inText(r.Name) {
				dropped++
				continue
			}
			var alts []string
			for _, a := range r.Alternatives {
				if a = vntext.NFC(strings.TrimSpace(a)); inText(a) {
					alts = append(alts, a)
				} else {
					dropped++
				}
			}
			r.Alternatives = alts
			papers = append(papers, r)
		}
		if len(papers) > 0 {
			rc.Requirements = papers
			cases = append(cases, rc)
		}
	}
	if dropped > 0 {
		info.Rejected = fmt.Sprintf("%d name(s) dropped because their words are not in the text", dropped)
	}
	return cases, info, nil
}

// unglue puts a space where the portal's table glued two words: a lower-
// case letter before an upper-case one, a letter before a digit and a digit
// before a letter.
func unglue(s string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if prev != 0 && (unicode.IsLower(prev) && unicode.IsUpper(r) || unicode.IsLetter(prev) && unicode.IsDigit(r) || unicode.IsDigit(prev) && unicode.IsLetter(r)) {
			b.WriteByte(' ')
		}
		if !unicode.Is(unicode.Mn, r) {
			prev = r
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textWords returns whether a name's syllables (folded, with multiplicity)
// are at least 80% found in text's.
func textWords(text string) func(name string) bool {
	have := map[string]int{}
	// The portal's table is glued ("lượngVăn bản", "căn cước1 bản
	// chính"): words are told apart at a case or letter-digit change too.
	text = unglue(text)
	for _, t := range vntext.FoldedTokens(text) {
		have[t]++
	}
	return func(name string) bool {
		toks := vntext.FoldedTokens(name)
		if len(toks) == 0 {
			return false
		}
		left := maps.Clone(have)
		found := 0
		for _, t := range toks {
			if left[t] > 0 {
				left[t]--
				found++
			}
		}
		return float64(found) >= 0.8*float64(len(toks))
	}
}

func foldTokens(s string) []string { return vntext.FoldedTokens(s) }

// promptOf is the prompt the task's route renders.
func (c *Client) promptOf(task string) string {
	if r, ok := c.routes[task]; ok && r.prompt != "" {
		return r.prompt
	}
	return DefaultPrompts[task]
}
