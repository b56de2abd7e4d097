package vault

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// OnceOnly is the legal basis for not asking again when the procedure has no
// electronic-substitute clause of its own: Decree 118/2025/NĐ-CP on the
// one-stop shop, Điều 17 khoản 1 điểm b. The quoted text is verified against
// the decree in the shared legal corpus by TestOnceOnlyQuoteOccurs.
//
// Decree 45/2020/NĐ-CP (thủ tục hành chính trên môi trường điện tử) states
// the same rule, but the corpus holds it only as an image scan, so hoso cites
// the decree whose text it can verify.
var OnceOnly = dossier.Citation{
	Document: "118/2025/NĐ-CP",
	Title:    "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
	Article:  17,
	Clause:   ptr(1),
	Point:    ptr("b"),
	Text: "Trường hợp các thành phần hồ sơ thủ tục hành chính đã có dữ liệu điện tử bảo đảm giá trị pháp lý và có thể khai thác " +
		"thông qua kết nối, chia sẻ giữa Hệ thống thông tin giải quyết thủ tục hành chính với các cơ sở dữ liệu quốc gia, cơ sở dữ liệu " +
		"chuyên ngành, hệ thống thông tin dùng chung, Cổng Dịch vụ công quốc gia thì tổ chức, cá nhân không phải khai lại thông tin " +
		"hoặc nộp lại hồ sơ, giấy tờ, tài liệu",
	Score:  1,
	Source: "legal_basis",
}

func ptr[T any](v T) *T { return &v }

var reuseTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "hoso_vault_reuse_total",
	Help: "Requirements satisfied by a vault record instead of asking the citizen again, by record type.",
}, []string{"type"})

// Query asks the vault for a record that satisfies one requirement of a
// dossier.
type Query struct {
	ApplicantID   string
	Requirement   catalog.Requirement
	ProcedureCode string
	// At is the day the record must be in force (the submission date).
	At time.Time
	// AsOf is the vault as it stood at that instant (zero: now): a replay
	// asks with the time the recorded check ran, so that records verified
	// since, such as this very dossier's own papers once accepted, are not
	// offered.
	AsOf time.Time
	// Subjects are whom the dossier is about, by role, from its own fields
	// (DossierSubjects). A record is reused only for the same subject.
	Subjects Subjects
}

// Satisfy returns a valid record of applicantID that satisfies req, or nil,
// for a dossier that establishes no subject other than the applicant (see
// Lookup).
func (s *Store) Satisfy(ctx context.Context, applicantID string, req catalog.Requirement, procedureCode string, at time.Time) (*Match, error) {
	res, err := s.Lookup(ctx, Query{ApplicantID: applicantID, Requirement: req, ProcedureCode: procedureCode, At: at,
		Subjects: DossierSubjects(applicantID, nil, nil)})
	return res.Match, err
}

// Result is the answer of Lookup: a match, or why the records the vault
// holds were not reused (empty when it holds none of the type).
type Result struct {
	Match *Match
	// Refused says, per record considered and not reused, why (another
	// child, an unclear subject); the finding's evidence shows it.
	Refused []string
}

// Lookup returns a valid record of the applicant that satisfies the
// requirement and is about the same person or entity as the dossier. It
// never returns a record that has expired or been revoked at q.At, nor one
// about another person, nor one whose subject cannot be matched with the
// dossier's (the reason is in Result.Refused). The match cites the
// procedure's electronic-substitute clause when it has one, else OnceOnly.
func (s *Store) Lookup(ctx context.Context, q Query) (Result, error) {
	var res Result
	req := q.Requirement
	types := TypesFor(req)
	if len(types) == 0 || strings.TrimSpace(q.ApplicantID) == "" {
		return res, nil
	}
	recs, err := s.validAsOf(ctx, q.ApplicantID, types, q.At, q.AsOf)
	if err != nil {
		return res, fmt.Errorf("once-only lookup of %s for %s: %w", req.Key, q.ProcedureCode, err)
	}
	var r *Record
	for i := range recs {
		rec := SubjectOfRecord(recs[i])
		ok, why := sameSubject(q.Subjects[rec.Role], rec, recs[i].Title)
		if ok {
			r = &recs[i]
			break
		}
		res.Refused = append(res.Refused, why)
	}
	if r == nil {
		if len(res.Refused) > 0 && s.Log != nil {
			s.Log.Info("vault record not reused: another or an unclear subject", "requirement", req.Key, "procedure", q.ProcedureCode, "records", len(res.Refused))
		}
		return res, nil
	}
	m := &Match{RecordID: r.ID, Citation: OnceOnly, Record: *r}
	if req.ElectronicSubstitute != nil && strings.TrimSpace(*req.ElectronicSubstitute) != "" {
		m.Citation = dossier.Citation{
			Document: "TTHC " + q.ProcedureCode,
			Title:    "Thành phần hồ sơ của thủ tục " + q.ProcedureCode + " (Cơ sở dữ liệu quốc gia về thủ tục hành chính)",
			Text:     strings.TrimSpace(*req.ElectronicSubstitute),
			Score:    1,
			Source:   "catalog",
		}
	}
	m.Evidence = Evidence(*r, q.At)
	reuseTotal.WithLabelValues(r.Type).Inc()
	if s.Log != nil {
		s.Log.Info("requirement satisfied from the vault", "requirement", req.Key, "procedure", q.ProcedureCode, "record", r.ID)
	}
	res.Match = m
	return res, nil
}

// AsOf is the vault as it stood at t: every lookup asks with that instant
// (for replays of a recorded check).
type AsOf struct {
	Store *Store
	At    time.Time
}

// Lookup asks the store with q.AsOf set to a.At.
func (a AsOf) Lookup(ctx context.Context, q Query) (Result, error) {
	q.AsOf = a.At
	return a.Store.Lookup(ctx, q)
}

// Evidence says in Vietnamese which record stands in for the paper.
func Evidence(r Record, at time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Đã có trong kho dữ liệu công dân: %s", r.Title)
	if r.Number != "" {
		fmt.Fprintf(&b, " số %s", r.Number)
	}
	if r.Issuer != "" {
		fmt.Fprintf(&b, " do %s cấp", r.Issuer)
	}
	switch {
	case strings.HasPrefix(r.Source, "registry:"):
		fmt.Fprintf(&b, " (nguồn: %s)", strings.TrimPrefix(r.Source, "registry:"))
	case r.SourceDossier != "":
		fmt.Fprintf(&b, " (đã được cán bộ chấp nhận trong hồ sơ %s)", r.SourceDossier)
	}
	if r.ValidUntil != nil {
		fmt.Fprintf(&b, ", còn hiệu lực đến %s", r.ValidUntil.Format("02/01/2006"))
	}
	b.WriteString("; công dân không phải nộp lại (reused from the citizen's vault; not requested again)")
	return b.String()
}
