package evals

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Harvested is one official's correction exported as a labelled example
// (`hoso eval harvest`): a document's text features → its requirement, a
// dossier's papers → its case, a finding → its status. The classification
// and completeness suites read them as a separate set (metrics prefixed
// "harvest_"), never mixed with the generated or annotated ones. Names and
// ID numbers are redacted before anything is written.
type Harvested struct {
	Set       string    `json:"set"` // always "harvest"
	Kind      string    `json:"kind"`
	ID        string    `json:"id"`      // h<correction id>
	Dossier   string    `json:"dossier"` // a hash: groups examples, names no one
	Procedure string    `json:"procedure"`
	Label     string    `json:"label"` // the official's decision
	Auto      string    `json:"auto,omitempty"`
	At        time.Time `json:"at"`
	// document_type: the document's redacted text features and the
	// procedure's requirements it was chosen among.
	Filename     string       `json:"filename,omitempty"`
	Text         string       `json:"text,omitempty"`
	Requirements []HarvestReq `json:"requirements,omitempty"`
	// case: the requirements the dossier's papers were given.
	Documents []string `json:"documents,omitempty"`
	// finding: which finding, and the official's redacted reason.
	Finding string `json:"finding,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// HarvestReq is a requirement a document could be.
type HarvestReq struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Form string `json:"form,omitempty"`
}

// harvestSource reads what the export needs (*store.Store and its pool).
type harvestSource interface {
	Dossier(ctx context.Context, id string) (dossier.Dossier, error)
	Documents(ctx context.Context, dossierID string) ([]store.Document, error)
}

type procedureGetter interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// maxHarvestText bounds a document's exported text (the classifier reads
// the beginning of a document).
const maxHarvestText = 4000

// reLongNumber catches numbers the redactor leaves (tax codes, 10 and 13
// digits; record numbers).
var reLongNumber = regexp.MustCompile(`\d{6,}`)

// reFullName catches the names no field extraction found (a signature
// line, a witness): a common Vietnamese family name followed by one to four
// capitalised syllables, in title or upper case. It over-redacts some
// place names ("Hà Nội"), which is the safe side.
var reFullName = func() *regexp.Regexp {
	var alts []string
	for _, f := range strings.Fields("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Đoàn Lâm Mai Trương Cao Lưu Tạ Vương Quách Hà Tô Chu La Thái Lương Kiều Đào Tăng Triệu Châu Tôn Văn Diệp Lại Mạc Thân Khúc Âu Giang Kim Hứa Từ Phùng Nghiêm Tống") {
		alts = append(alts, regexp.QuoteMeta(f), regexp.QuoteMeta(strings.ToUpper(f)))
	}
	return regexp.MustCompile(`(?:^|[^\p{L}\p{M}])((?:` + strings.Join(alts, "|") + `)(?:[ \t]+\p{Lu}[\p{L}\p{M}]*){1,4})`)
}()

// Harvest writes, as JSONL, the corrections in force (the latest of each
// dossier, kind and target) made since since. It returns how many it
// wrote.
func Harvest(ctx context.Context, q store.Querier, src harvestSource, procs procedureGetter, since time.Time, w io.Writer) (int, error) {
	cs, err := store.CorrectionsSince(ctx, q, since)
	if err != nil {
		return 0, err
	}
	// The latest correction of each (dossier, kind, target) is the label.
	latest := map[string]int{}
	for i, c := range cs {
		latest[c.DossierID+"\x1f"+c.Kind+"\x1f"+c.Target] = i
	}
	enc := json.NewEncoder(w)
	n := 0
	for i, c := range cs {
		if latest[c.DossierID+"\x1f"+c.Kind+"\x1f"+c.Target] != i {
			continue
		}
		d, err := src.Dossier(ctx, c.DossierID)
		if err != nil {
			return n, err
		}
		docs, err := src.Documents(ctx, c.DossierID)
		if err != nil {
			return n, err
		}
		red := redactorFor(d, docs)
		h := sha256.Sum256([]byte(c.DossierID))
		ex := Harvested{Set: "harvest", Kind: c.Kind, ID: fmt.Sprintf("h%d", c.ID), Dossier: hex.EncodeToString(h[:6]),
			Procedure: d.ProcedureCode, Label: c.Value, Auto: c.AutoValue, At: c.CreatedAt.UTC()}
		corr := dossier.Corrections(cs).ForDossier(c.DossierID)
		switch c.Kind {
		case dossier.CorrectDocumentType:
			for _, doc := range docs {
				if doc.ID != c.Target {
					continue
				}
				ex.Filename = redactSlugs(red(doc.Filename), names(docs))
				text := strings.Join(doc.PageTexts, "\n")
				if r := []rune(text); len(r) > maxHarvestText {
					text = string(r[:maxHarvestText])
				}
				ex.Text = red(text)
			}
			if procs != nil {
				if p, err := procs.Get(ctx, d.ProcedureCode, d.SubmittedAt); err == nil && p != nil {
					for _, r := range p.Requirements {
						hr := HarvestReq{Key: r.Key, Name: r.Name}
						if r.Form != nil {
							hr.Form = *r.Form
						}
						ex.Requirements = append(ex.Requirements, hr)
					}
				}
			}
		case dossier.CorrectCase:
			for _, doc := range docs {
				corr.ApplyType(&doc.Document)
				if doc.Type != dossier.TypeUnknown && doc.Type != dossier.TypeOther {
					ex.Documents = append(ex.Documents, doc.Type)
				}
			}
		case dossier.CorrectFinding:
			ex.Finding, ex.Reason = c.Target, red(c.Reason)
		}
		if err := enc.Encode(ex); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// names are the person names the dossier's documents hold.
func names(docs []store.Document) []string {
	var out []string
	for _, doc := range docs {
		for _, f := range doc.Fields {
			if strings.Contains(f.Name, "name") && strings.TrimSpace(f.Value) != "" {
				out = append(out, f.Value)
			}
		}
	}
	return out
}

// redactSlugs hides names written as file-name slugs ("tran-minh-an",
// "TranMinhAn"), without diacritics, in s.
func redactSlugs(s string, ns []string) string {
	for _, n := range ns {
		words := strings.Fields(vntext.Fold(n))
		if len(words) < 2 {
			continue
		}
		for _, sep := range []string{"-", "_", ".", " ", ""} {
			slug := strings.Join(words, sep)
			for {
				i := strings.Index(strings.ToLower(s), slug)
				if i < 0 {
					break
				}
				s = s[:i] + "[HỌ_TÊN]" + s[i+len(slug):]
			}
		}
	}
	return s
}

// redactorFor hides the names the dossier's documents hold (their
// extracted name fields), personal ID numbers, phones, emails and any
// other long number.
func redactorFor(d dossier.Dossier, docs []store.Document) func(string) string {
	r := llm.NewRedactor(names(docs))
	return func(s string) string {
		s = strings.ReplaceAll(s, d.ApplicantID, "[ID]")
		s = reLongNumber.ReplaceAllString(r.Redact(s), "[SỐ]")
		return replaceSubmatch(reFullName, vntext.NFC(s), "[HỌ_TÊN]")
	}
}

// LoadHarvest reads a harvest file; a missing file is no examples.
func LoadHarvest(path string) ([]Harvested, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Harvested
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var h Harvested
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, h)
	}
	return out, sc.Err()
}

// harvestOf keeps the examples of one kind.
func harvestOf(hs []Harvested, kind string) []Harvested {
	var out []Harvested
	for _, h := range hs {
		if h.Kind == kind {
			out = append(out, h)
		}
	}
	return out
}

// addHarvestAgreement reports, on the harvested examples of kind, how
// often hoso's own conclusion was the official's (the set is separate:
// metrics "harvest_<kind>_*", informational).
func addHarvestAgreement(r *Result, hs []Harvested, kind, label string) {
	ex := harvestOf(hs, kind)
	if len(ex) == 0 {
		return
	}
	agree := 0
	for _, h := range ex {
		if h.Auto == h.Label {
			agree++
		}
	}
	r.add("harvest_"+kind+"_examples", "Số ví dụ từ cán bộ sửa: "+label+" (harvested corrections)", float64(len(ex)), "count", "info")
	r.add("harvest_"+kind+"_agreement", "Tỷ lệ hoso tự kết luận trùng quyết định cán bộ: "+label+" (agreement with officials)", float64(agree)/float64(len(ex)), "ratio", "info")
}

// harvestPath is where the suites read harvested corrections (param
// "harvest"; `hoso eval harvest --out` writes there by default).
func harvestPath(x *Env, s Suite) string {
	return x.path(paramString(s, "harvest", DefaultHarvest))
}

// DefaultHarvest is the harvest file the suites read.
const DefaultHarvest = "evals/harvest/corrections.jsonl"

// addHarvestClassify measures the classifier on the documents officials
// reclassified: does it now give the requirement the official chose
// (harvest_document_type_accuracy), over a set kept apart from the
// labelled documents.
func addHarvestClassify(x *Env, s Suite, m docClassifier, threshold float64, r *Result) error {
	hs, err := LoadHarvest(harvestPath(x, s))
	if err != nil {
		return err
	}
	ex := harvestOf(hs, dossier.CorrectDocumentType)
	if len(ex) == 0 {
		r.note("Không có ví dụ từ cán bộ sửa trong %s (no harvested corrections).", paramString(s, "harvest", DefaultHarvest))
		return nil
	}
	ok := 0
	for _, h := range ex {
		reqs := make([]catalog.Requirement, 0, len(h.Requirements))
		for _, hr := range h.Requirements {
			rq := catalog.Requirement{Key: hr.Key, Name: hr.Name, Kind: catalog.KindSubmit}
			if hr.Form != "" {
				f := hr.Form
				rq.Form = &f
			}
			reqs = append(reqs, rq)
		}
		got := m.Classify(classifier.Input{Filename: h.Filename, Text: h.Text}, reqs, threshold).Requirement
		if got == h.Label || (h.Label == dossier.TypeOther && got == dossier.TypeUnknown) {
			ok++
		} else {
			r.Worst = append(r.Worst, Case{ID: h.ID, Want: h.Label, Got: got, Detail: "harvest: " + h.Procedure})
		}
	}
	r.add("harvest_document_type_accuracy", "Phân loại đúng trên giấy tờ cán bộ đã sửa (accuracy on harvested corrections)", float64(ok)/float64(len(ex)), "ratio", "info")
	addHarvestAgreement(r, hs, dossier.CorrectDocumentType, "thành phần hồ sơ")
	r.note("Tập riêng từ cán bộ sửa (separate harvested set): %d giấy tờ, %s; không gộp vào tập kiểm tra.", len(ex), paramString(s, "harvest", DefaultHarvest))
	return nil
}

// addHarvestCompleteness reports the harvested cases and findings: how
// often hoso's own conclusion was the official's.
func addHarvestCompleteness(x *Env, s Suite, r *Result) error {
	hs, err := LoadHarvest(harvestPath(x, s))
	if err != nil {
		return err
	}
	addHarvestAgreement(r, hs, dossier.CorrectCase, "trường hợp")
	addHarvestAgreement(r, hs, dossier.CorrectFinding, "trạng thái thành phần")
	if n := len(harvestOf(hs, dossier.CorrectCase)) + len(harvestOf(hs, dossier.CorrectFinding)); n > 0 {
		r.note("Tập riêng từ cán bộ sửa (separate harvested set): %d quyết định về trường hợp và kết quả kiểm tra.", n)
	}
	return nil
}

// docClassifier is the local model (*classifier.Model).
type docClassifier interface {
	Classify(in classifier.Input, reqs []catalog.Requirement, threshold float64) classifier.Result
}

// replaceSubmatch replaces group 1 of every match of re in s with repl.
func replaceSubmatch(re *regexp.Regexp, s, repl string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(s[last:m[2]])
		b.WriteString(repl)
		last = m[3]
	}
	b.WriteString(s[last:])
	return b.String()
}
