package explain

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// Build explains dossierID as of now from its approved suggestions and the
// findings behind them.
func (b *Builder) Build(ctx context.Context, dossierID string, now time.Time) (Message, error) {
	msg := Message{DossierID: dossierID}
	st := store.New(b.Pool)
	d, err := st.Dossier(ctx, dossierID)
	if err != nil {
		return msg, err
	}
	fs, err := st.Findings(ctx, dossierID)
	if err != nil {
		return msg, err
	}
	byKey := map[string]dossier.Finding{}
	for _, f := range fs {
		byKey[f.Key] = f
	}
	rows, err := b.Pool.Query(ctx, `SELECT key, kind, text FROM suggestions WHERE dossier_id = $1 AND status = 'approved' AND kind <> 'explanation' ORDER BY created_at, id`, dossierID)
	if err != nil {
		return msg, fmt.Errorf("approved suggestions of %s: %w", dossierID, err)
	}
	type sg struct{ key, kind, text string }
	sgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (sg, error) {
		var x sg
		err := r.Scan(&x.key, &x.kind, &x.text)
		return x, err
	})
	if err != nil {
		return msg, err
	}
	var proc *catalog.Procedure
	if b.Procedures != nil {
		if proc, err = b.Procedures.Get(ctx, d.ProcedureCode, d.SubmittedAt); err != nil && dossier.ErrorCode(err) != dossier.CodeNotFound {
			return msg, err
		}
	}
	name := d.ProcedureCode
	if proc != nil {
		name = proc.Name
	}
	var lines []string
	lines = append(lines, fmt.Sprintf("Kết quả kiểm tra hồ sơ %s (%s):", dossierID, name))
	for _, s := range sgs {
		_, fkey, _ := strings.Cut(s.key, ":")
		f, ok := byKey[fkey]
		it := Item{Action: s.text}
		if ok {
			it.Requirement, it.Status = f.Requirement, f.Status
			if len(f.Citations) > 0 {
				it.Why = cite(f.Citations[0])
			}
		}
		msg.Items = append(msg.Items, it)
		line := "- " + s.text
		if it.Why != "" && !strings.Contains(s.text, "Căn cứ") {
			line += " Căn cứ: " + it.Why + "."
		}
		lines = append(lines, line)
		msg.Facts = append(msg.Facts, s.text)
		if it.Why != "" {
			msg.Facts = append(msg.Facts, it.Why)
		}
	}
	for _, f := range fs {
		if f.Status == dossier.FindingSatisfiedByReuse {
			l := "Không phải nộp lại: " + f.Requirement + " (đã có trong kho dữ liệu)."
			lines = append(lines, "- "+l)
			msg.Facts = append(msg.Facts, l)
		}
	}
	if len(msg.Items) == 0 {
		lines = append(lines, "Hồ sơ chưa có yêu cầu nào được cán bộ duyệt gửi ông/bà.")
	}
	if proc != nil && proc.ProcessingDays > 0 {
		cal := b.Calendar
		if cal == nil {
			cal = workcal.Vietnam()
		}
		msg.Deadline = cal.Deadline(now, proc.ProcessingDays)
		days := strconv.FormatFloat(proc.ProcessingDays, 'f', -1, 64)
		l := fmt.Sprintf("Thời hạn giải quyết là %s ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ; nếu ông/bà bổ sung đủ trong hôm nay, dự kiến có kết quả trước %s.",
			days, msg.Deadline.In(time.FixedZone("ICT", 7*3600)).Format("15:04 ngày 02/01/2006"))
		lines = append(lines, l)
		msg.Facts = append(msg.Facts, l)
	}
	msg.Text = strings.Join(lines, "\n")
	if b.Polisher != nil && b.Polisher.Enabled(llm.TaskSuggestWording) {
		text, info, err := b.Polisher.PolishSuggestion(ctx, llm.CallMeta{DossierID: dossierID}, msg.Facts, msg.Text)
		msg.Model, msg.Rejected = info.Model, info.Rejected
		switch {
		case err != nil:
			if b.Log != nil {
				b.Log.Warn("explanation wording kept local", "dossier_id", dossierID, "err", err)
			}
		case info.Rejected == "" && strings.TrimSpace(text) != "":
			msg.Text, msg.Polished = text, true
		}
	}
	return msg, nil
}

// Draft writes the explanation as a pending suggestion of kind
// "explanation", keyed by its content so that an unchanged explanation is
// drafted once; an official edits and approves it like any suggestion.
func (b *Builder) Draft(ctx context.Context, dossierID string, now time.Time) (dossier.Suggestion, Message, error) {
	msg, err := b.Build(ctx, dossierID, now)
	if err != nil {
		return dossier.Suggestion{}, msg, err
	}
	if len(msg.Items) == 0 {
		return dossier.Suggestion{}, msg, dossier.Errorf(dossier.CodeConflict, "hồ sơ %s chưa có đề xuất nào được duyệt để giải thích (no approved suggestions to explain)", dossierID)
	}
	h := sha256.Sum256([]byte(strings.Join(msg.Facts, "\n")))
	sg := dossier.Suggestion{Key: "explain:" + hex.EncodeToString(h[:])[:12], Kind: "explanation", Text: msg.Text,
		Rationale: "Giải thích tổng hợp từ các đề xuất đã duyệt (explanation built from approved suggestions only)", Risk: "normal",
		Status: dossier.SuggestionPending}
	sg.ID = store.SuggestionID(dossierID, sg.Key)
	_, err = b.Pool.Exec(ctx, `INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, text_en, rationale, risk, status)
		SELECT $1, $2, $3, applicant_id, $4, $5, '', $6, $7, 'pending_review' FROM dossiers WHERE id = $2
		ON CONFLICT DO NOTHING`, sg.ID, dossierID, sg.Key, sg.Kind, sg.Text, sg.Rationale, sg.Risk)
	if err != nil {
		return sg, msg, fmt.Errorf("draft explanation of %s: %w", dossierID, err)
	}
	return sg, msg, nil
}
