package llm

import (
	"encoding/base64"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Injection is the result of scanning a document for text that tries to
// instruct a model (prompt injection).
type Injection struct {
	Flagged bool             `json:"flagged"`
	Matches []InjectionMatch `json:"matches,omitempty"`
}

// InjectionMatch is one suspicious passage.
type InjectionMatch struct {
	Rule     string `json:"rule"`     // e.g. override_instructions
	Category string `json:"category"` // override | role_play | approval | role_marker | tool_call | delimiter | exfiltration | output_control
	Excerpt  string `json:"excerpt"`  // the matched passage, folded
}

type injectionRule struct {
	name, category string
	re             *regexp.Regexp
}

// injectionNeeds are literal prefilters per rule: every group must have one
// of its words in the folded text before the (slower) expression runs. Most
// documents contain none, so the detector costs a few substring searches.
var injectionNeeds = map[string][][]string{
	"override_vi":         {{"bo qua", "boqua", "phot lo", "lo di", "quen di", "tuan theo", "vo hieu hoa", "huy bo", "thay the"}},
	"override_vi_all":     {{"bo qua", "boqua", "quen", "phot lo"}},
	"new_instructions_vi": {{"huong dan", "chi thi", "nhiem vu", "lenh"}, {"moi", "tiep theo", "that su"}},
	"addressed_model_vi":  {{"gui", "thua", "luu y", "chu y"}, {"tro ly", "he thong", "mo hinh", "may", "ai", "chatbot", "bot"}},
	"override_en":         {{"ignore", "disregard", "forget", "override", "bypass", "skip"}},
	"new_instructions_en": {{"instruction", "task", "rules"}},
	"developer_mode":      {{"developer mode", "dan mode", "jailbreak", "che do", "god mode"}},
	"role_play_vi":        {{"dong vai", "tu bay gio", "tu gio", "tu nay", "gia vo", "khong con la"}},
	"role_play_en":        {{"you are", "from now on", "act as", "pretend", "roleplay", "role-play"}},
	"approve_vi":          {{"duyet", "chap thuan", "thong qua", "cap phep"}, {"hay", "yeu cau", "de nghi", "tu dong", "lap tuc"}},
	"approve_vi_status":   {{"danh dau", "ghi nhan", "chuyen trang thai", "dat trang thai", "cham diem"}},
	"approve_en":          {{"approve", "accept", "greenlight", "mark "}},
	"send_vi":             {{"gui ngay", "tu dong gui", "gui truc tiep", "gui luon"}},
	"send_en":             {{"send", "forward", "email", "deliver"}, {"citizen", "applicant", "immediately", "without"}},
	"confidence_vi":       {{"do tin cay", "confidence"}},
	"classify_as":         {{"phan loai", "xep loai", "classify", "label"}},
	"output_json":         {{`"`}},
	"role_marker":         {{"system", "assistant", "developer"}},
	"chat_template":       {{"<|", "[inst]", "[/inst]", "<<sys>>", "### "}},
	"tool_call":           {{"function_call", "tool_call", "tool_use", "call the", "goi ham", "goi cong cu", "run the command", "curl ", "wget ", "rm -rf"}},
	"delimiter":           {{"document", "facts", "draft", "ket thuc van ban"}},
	"exfiltrate":          {{"system prompt", "your instructions", "prompt he thong", "huong dan he thong", "api key", "khoa api", "mat khau", "password"}},
}

func needsMet(name, hay string) bool {
	for _, group := range injectionNeeds[name] {
		ok := false
		for _, w := range group {
			if strings.Contains(hay, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Rules match the accent-folded, lower-cased, space-collapsed text
// (vntext.Fold), so "BỎ QUA các hướng dẫn" and "bo qua cac huong dan" are the
// same. They aim at instructions addressed to a model, which ordinary
// administrative documents do not contain; "phê duyệt" alone is common in
// real documents, so approval rules need an imperative or a target.
var injectionRules = []injectionRule{
	// Vietnamese: overriding the instructions.
	{"override_vi", "override", regexp.MustCompile(`\b(bo ?qua|phot lo|lo di|quen di|khong (can )?tuan theo|vo hieu hoa|huy bo|thay the)\b[^.]{0,40}\b(huong dan|chi dan|chi thi|lenh|quy tac|yeu cau|nhiem vu|prompt)\b[^.]{0,30}\b(truoc|tren|cu|he thong|ban dau|da (cho|nhan|duoc giao)|hien tai)`)},
	{"override_vi_all", "override", regexp.MustCompile(`\b(bo ?qua|quen|phot lo)\b (tat ca|moi|toan bo|het) [^.]{0,20}(huong dan|chi dan|chi thi|quy tac|lenh)`)},
	{"new_instructions_vi", "override", regexp.MustCompile(`\b(huong dan|chi thi|nhiem vu|lenh) (moi|tiep theo|that su)( cua ban| danh cho (ban|ai|tro ly|mo hinh))?\s*[:\-]`)},
	{"addressed_model_vi", "override", regexp.MustCompile(`\b(gui|thua|kinh gui|luu y cho|chu y) (tro ly|he thong|mo hinh|may|ai|chatbot|bot)( ai| tri tue nhan tao)?\b[^.]{0,60}\b(hay|phai|can|duoc yeu cau)\b`)},
	// English: overriding the instructions.
	{"override_en", "override", regexp.MustCompile(`\b(ignore|disregard|forget|override|bypass|skip)\b[^.]{0,30}\b(previous|prior|above|earlier|all|any|your|the|system|original)\b[^.]{0,20}\b(instructions?|prompts?|rules|directions|guidelines|context|messages?)\b`)},
	{"new_instructions_en", "override", regexp.MustCompile(`\b(new|updated|real|actual) (instructions?|task|rules)\s*[:\-]`)},
	{"developer_mode", "override", regexp.MustCompile(`\b(developer mode|dan mode|jailbreak|che do (nha phat trien|quan tri|admin|debug)|god mode)\b`)},
	// Role-play and persona changes.
	{"role_play_vi", "role_play", regexp.MustCompile(`\b(tu (bay gio|gio|nay) ban (la|se|dong vai)|ban (hay|phai) dong vai|hay dong vai|gia vo ban la|dong vai (mot |la )?(can bo|chuyen vien|lanh dao|nguoi duyet|quan tri|tro ly)|ban khong con la)\b`)},
	{"role_play_en", "role_play", regexp.MustCompile(`\b(you are now|from now on,? you|act as (an? )?(admin|official|approver|system|developer)|pretend (to be|you are)|roleplay as|role-play as|you are no longer)\b`)},
	// Asking the model to decide the dossier.
	{"approve_vi", "approval", regexp.MustCompile(`\b(hay|yeu cau (tro ly|he thong|ai|mo hinh|ban)|de nghi (tro ly|he thong|ai|mo hinh)|tu dong|lap tuc)\b[^.]{0,25}\b(phe duyet|duyet|chap thuan|thong qua|cap phep)\b[^.]{0,25}\b(ho so|de xuat|yeu cau|giay to)`)},
	{"approve_vi_status", "approval", regexp.MustCompile(`\b(danh dau|ghi nhan|chuyen trang thai|dat trang thai|cham diem)\b[^.]{0,30}\b(hop le|da duyet|dat yeu cau|day du|hoan tat|approved|100 ?%|1\.0)`)},
	{"approve_en", "approval", regexp.MustCompile(`\b((auto-?)?approve|accept|greenlight)\b (this|the|my|all|every)( \w+)? (dossier|application|request|file|documents?|suggestions?)|\bmark (it|this|the)( \w+)? as (valid|complete|approved)\b|\bauto-?approve\b`)},
	{"send_vi", "approval", regexp.MustCompile(`\b(gui ngay|tu dong gui|gui truc tiep|gui luon)\b[^.]{0,30}\b(cong dan|nguoi dan|nguoi nop|email|tin nhan)`)},
	{"send_en", "approval", regexp.MustCompile(`\b(send|forward|email|deliver)\b[^.]{0,25}\b(to the citizen|to the applicant|immediately|without (review|approval))`)},
	{"confidence_vi", "output_control", regexp.MustCompile(`\b(do tin cay|confidence)\b[^.]{0,15}\b(1\.0|1,0|100 ?%|tuyet doi|toi da)`)},
	{"classify_as", "output_control", regexp.MustCompile(`\b(phan loai|xep loai|classify|label)\b[^.]{0,30}\b(van ban|tai lieu|giay to|document|this|it)\b[^.]{0,20}\b(la|thanh|as)\b`)},
	{"output_json", "output_control", regexp.MustCompile(`("approve"|"approved"|"status"\s*:\s*"approved"|"send"\s*:|"document_type"\s*:|"confidence"\s*:)`)},
	// Chat-template role markers and tool calls inside a document.
	{"role_marker", "role_marker", regexp.MustCompile(`(^|\n)\s*(system|assistant|developer)\s*:\s*\S`)},
	{"chat_template", "role_marker", regexp.MustCompile(`(<\|im_start\|>|<\|im_end\|>|<\|system\|>|<\|assistant\|>|\[inst\]|\[/inst\]|<<sys>>|<\|begin_of_text\|>|<\|eot_id\|>|### (instruction|system|response):)`)},
	{"tool_call", "tool_call", regexp.MustCompile(`\b(function_call|tool_calls?|tool_use|call the (function|tool)|goi (ham|cong cu)|run the command|curl |wget |rm -rf)\b`)},
	{"delimiter", "delimiter", regexp.MustCompile(`(</?\s*document\s*>|</?\s*facts\s*>|</?\s*draft\s*>|\bend of document\b|\bket thuc van ban\W{0,3}\s*(huong dan|chi dan|lenh|nhiem vu))`)},
	// Exfiltration.
	{"exfiltrate", "exfiltration", regexp.MustCompile(`\b(reveal|print|show|repeat|leak|tiet lo|in ra|hien thi|lap lai)\b[^.]{0,30}\b(system prompt|your instructions|prompt he thong|huong dan he thong|api key|khoa api|mat khau|password)\b`)},
}

// DetectInjection scans text for instructions addressed to a model. It is
// cheap (regular expressions over the folded text) and runs on every
// document whatever the provider, so a flagged document is marked for an
// official even when no model is used.
//
// Before matching it maps Cyrillic and Greek look-alike letters to Latin,
// joins letters written one by one ("b ỏ q u a"), and appends the decoded
// text of base64-looking runs, three cheap evasions of plain patterns.
func DetectInjection(text string) Injection {
	text = unconfuse(text)
	lines := vntext.Fold(text) // keeps line starts for role markers
	folded := " " + joinSpelled(strings.Fields(lines)) + " " + decodedRuns(text) + " "
	var res Injection
	seen := map[string]bool{}
	for _, r := range injectionRules {
		hay := folded
		if r.category == "role_marker" && r.name == "role_marker" {
			hay = lines
		}
		if seen[r.name] || !needsMet(r.name, hay) {
			continue
		}
		loc := r.re.FindStringIndex(hay)
		if loc == nil {
			continue
		}
		seen[r.name] = true
		ex := strings.TrimSpace(hay[loc[0]:loc[1]])
		if len(ex) > 120 {
			ex = ex[:120]
		}
		res.Matches = append(res.Matches, InjectionMatch{Rule: r.name, Category: r.category, Excerpt: ex})
	}
	res.Flagged = len(res.Matches) > 0
	return res
}

// escapeDelimiters keeps document text from closing the <document> block
// (or opening a fake one): the tags are rewritten with look-alike brackets.
func escapeDelimiters(s string) string {
	r := strings.NewReplacer(
		"<document", "‹document", "</document", "‹/document",
		"<facts", "‹facts", "</facts", "‹/facts",
		"<draft", "‹draft", "</draft", "‹/draft",
		"<DOCUMENT", "‹DOCUMENT", "</DOCUMENT", "‹/DOCUMENT",
	)
	return r.Replace(s)
}

// confusables maps letters that render like Latin ones.
var confusables = strings.NewReplacer(
	"а", "a", "е", "e", "о", "o", "р", "p", "с", "c", "у", "y", "х", "x", "і", "i", "ј", "j", "ѕ", "s",
	"А", "A", "В", "B", "Е", "E", "К", "K", "М", "M", "Н", "H", "О", "O", "Р", "P", "С", "C", "Т", "T", "Х", "X", "І", "I",
	"ο", "o", "α", "a", "ε", "e", "ι", "i", "κ", "k", "ν", "v", "ρ", "p", "τ", "t", "υ", "u",
	"Α", "A", "Β", "B", "Ε", "E", "Ι", "I", "Κ", "K", "Μ", "M", "Ν", "N", "Ο", "O", "Ρ", "P", "Τ", "T", "Χ", "X",
)

func unconfuse(s string) string { return confusables.Replace(s) }

// joinSpelled joins runs of three or more one-letter tokens into a word.
func joinSpelled(toks []string) string {
	var b strings.Builder
	run := 0
	for i, t := range toks {
		single := len([]rune(t)) == 1
		if i > 0 && !(single && run > 0 && runLen(toks, i-run) >= 3) {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		if single {
			run++
		} else {
			run = 0
		}
	}
	return b.String()
}

// runLen is the number of consecutive one-letter tokens starting at i.
func runLen(toks []string, i int) int {
	n := 0
	for ; i < len(toks) && len([]rune(toks[i])) == 1; i++ {
		n++
	}
	return n
}

var reBase64Run = regexp.MustCompile(`[A-Za-z0-9+/]{20,}={0,2}`)

// decodedRuns returns the folded text of base64 runs that decode to text.
func decodedRuns(s string) string {
	var out []string
	for _, m := range reBase64Run.FindAllString(s, 8) {
		b, err := base64.StdEncoding.DecodeString(m)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(m, "=")); err != nil {
				continue
			}
		}
		if utf8.Valid(b) && printable(string(b)) {
			out = append(out, strings.Join(strings.Fields(vntext.Fold(string(b))), " "))
		}
	}
	return strings.Join(out, " ")
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}
