// Package citizen provides what the citizen page needs beyond the existing
// citizen services (inbox, explanation, consent, vault): sign-in with a
// one-time code or link sent on the citizen's notification subject
// (HOSO.notify.<citizen>), the citizen's sessions, their dossiers with due
// dates, and the satisfaction rating they give after a decision.
//
// Codes are single use, expire after CodeTTL, are kept only as hashes, die
// after MaxAttempts wrong tries, and are throttled per citizen and per client
// address; every issue, sign-in and failure is written to the audit log.
package citizen

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Defaults.
const (
	DefaultCodeTTL      = 10 * time.Minute // a code or link is good for this long
	DefaultSessionTTL   = 2 * time.Hour    // a citizen's session lasts this long
	MaxAttempts         = 5                // wrong codes before a code dies
	MaxCodesPerCitizen  = 5                // codes issued to one citizen per hour
	MaxCodesPerClient   = 20               // codes requested from one client address per hour
	throttleWindow      = time.Hour
	ActorPrefix         = "citizen:" // audit actor and API actor id of a signed-in citizen
	NotificationKind    = "sign_in_code"
	notificationVersion = 1
)

// Errors.
var (
	// ErrBadCode: the code or link is wrong, used, expired or dead. The
	// citizen is told only that, never which.
	ErrBadCode = dossier.Errorf(dossier.CodeInvalid, "mã không đúng hoặc đã hết hạn (wrong or expired code)")
	// ErrNoSession: no live citizen session.
	ErrNoSession = errors.New("citizen: no session")
)

// ThrottledError says that too many codes were asked for.
type ThrottledError struct{ After time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("đã yêu cầu quá nhiều mã, vui lòng thử lại sau %d phút (too many codes requested; try again in %d min)",
		e.minutes(), e.minutes())
}

func (e *ThrottledError) minutes() int { return int((e.After + time.Minute - 1) / time.Minute) }

// RetryAfter is how long to wait.
func (e *ThrottledError) RetryAfter() time.Duration { return e.After }

var reCitizenID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{2,63}$`)

// ValidID reports whether id can be a citizen id (số định danh, or the id
// an integration gives a business).
func ValidID(id string) bool { return reCitizenID.MatchString(id) }

// Notifier sends a sign-in message to the citizen's own channel.
type Notifier interface {
	NotifyCitizen(ctx context.Context, citizenID, msgID string, payload []byte) error
}

// BrokerNotifier publishes on <prefix>.notify.<citizen>, the subject channel
// adapters (SMS, VNeID, e-mail) already read for approved messages.
type BrokerNotifier struct{ Broker *broker.Broker }

// NotifyCitizen publishes payload, de-duplicated by msgID.
func (n BrokerNotifier) NotifyCitizen(ctx context.Context, citizenID, msgID string, payload []byte) error {
	return n.Broker.Publish(ctx, n.Broker.Names.NotifySubject(citizenID), msgID, payload,
		map[string]string{"Hoso-Kind": NotificationKind})
}

// Message is the payload of a sign-in notification.
type Message struct {
	V         int       `json:"v"`
	Kind      string    `json:"kind"` // sign_in_code
	CitizenID string    `json:"citizen_id"`
	Code      string    `json:"code"`
	Link      string    `json:"link"` // absolute when Service.BaseURL is set
	ExpiresAt time.Time `json:"expires_at"`
	Text      string    `json:"text"`
}

// Service issues codes, keeps sessions and ratings.
type Service struct {
	Pool     *pgxpool.Pool
	Notifier Notifier // nil: codes are issued but not sent (tests, the demo prints the link)
	// BaseURL prefixes the link in messages, e.g. https://dichvucong.example.vn.
	BaseURL    string
	CodeTTL    time.Duration
	SessionTTL time.Duration
	Now        func() time.Time
	Log        *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) codeTTL() time.Duration {
	if s.CodeTTL > 0 {
		return s.CodeTTL
	}
	return DefaultCodeTTL
}

func (s *Service) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return DefaultSessionTTL
}

// Issued is a freshly issued code. Only the caller that asked (the demo, a
// test) sees the secrets; the web page never shows them.
type Issued struct {
	ID        int64
	Code      string
	Token     string // the link token
	Link      string // /citizen/verify?t=<token>, with BaseURL when set
	ExpiresAt time.Time
}

// LinkPath is the path of a sign-in link.
func LinkPath(token string) string { return "/citizen/verify?t=" + token }

// Issue creates a code for citizenID, requested from client (a throttling
// key such as auth.ClientKey's), and sends it on the citizen's subject.
func (s *Service) Issue(ctx context.Context, citizenID, client string) (Issued, error) {
	citizenID = strings.TrimSpace(citizenID)
	if !ValidID(citizenID) {
		return Issued{}, dossier.Errorf(dossier.CodeInvalid, "số định danh không hợp lệ (invalid citizen id)")
	}
	now := s.now()
	token := randomToken()
	code := randomCode()
	in := Issued{Code: code, Token: token, Link: strings.TrimRight(s.BaseURL, "/") + LinkPath(token), ExpiresAt: now.Add(s.codeTTL())}
	id, wait, err := s.store().insertCode(ctx, citizenID, hashCode(token, code), hashSecret(token), client, now, in.ExpiresAt)
	if err != nil {
		return Issued{}, err
	}
	if wait > 0 {
		return Issued{}, &ThrottledError{After: wait}
	}
	in.ID = id
	if s.Notifier != nil {
		msg := Message{V: notificationVersion, Kind: NotificationKind, CitizenID: citizenID, Code: code, Link: in.Link, ExpiresAt: in.ExpiresAt,
			Text: fmt.Sprintf("Mã đăng nhập hoso của ông/bà là %s, có hiệu lực %d phút. Không chia sẻ mã này với bất kỳ ai.", code, int(s.codeTTL()/time.Minute))}
		b, _ := json.Marshal(msg)
		if err := s.Notifier.NotifyCitizen(ctx, citizenID, fmt.Sprintf("code:%d", id), b); err != nil {
			// The citizen can ask again; the throttle counts this one.
			return Issued{}, fmt.Errorf("send sign-in code to %s: %w", citizenID, err)
		}
	}
	return in, nil
}

// Session is a signed-in citizen.
type Session struct {
	ID        string // the cookie value; stored hashed
	CitizenID string
	CSRF      string
	Method    string
	ExpiresAt time.Time
}

// Actor is the audit and API actor id of the session's citizen.
func (s Session) Actor() string { return ActorPrefix + s.CitizenID }

// SignInCode checks a typed code and starts a session.
func (s *Service) SignInCode(ctx context.Context, citizenID, code, client string) (Session, error) {
	citizenID, code = strings.TrimSpace(citizenID), strings.Join(strings.Fields(code), "")
	if !ValidID(citizenID) || len(code) != 6 {
		_ = s.store().failed(ctx, citizenID, client, "format")
		return Session{}, ErrBadCode
	}
	return s.signIn(ctx, citizenID, client, "code", func(linkHash, codeHash string) bool {
		return subtle.ConstantTimeCompare([]byte(hashCodeH(linkHash, code)), []byte(codeHash)) == 1
	})
}

// SignInLink checks a link token and starts a session.
func (s *Service) SignInLink(ctx context.Context, token, client string) (Session, error) {
	if len(token) < 20 || len(token) > 100 {
		_ = s.store().failed(ctx, "", client, "link")
		return Session{}, ErrBadCode
	}
	return s.signIn(ctx, "", client, "link", func(linkHash, _ string) bool {
		return subtle.ConstantTimeCompare([]byte(linkHash), []byte(hashSecret(token))) == 1
	}, hashSecret(token))
}

func (s *Service) signIn(ctx context.Context, citizenID, client, method string, match func(linkHash, codeHash string) bool, linkHash ...string) (Session, error) {
	sess := Session{ID: randomToken(), CSRF: randomToken(), Method: method, ExpiresAt: s.now().Add(s.sessionTTL())}
	lh := ""
	if len(linkHash) > 0 {
		lh = linkHash[0]
	}
	cid, ok, err := s.store().consume(ctx, citizenID, lh, client, s.now(), match, sess)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, ErrBadCode
	}
	sess.CitizenID = cid
	if s.Log != nil {
		s.Log.Info("citizen: signed in", "method", method)
	}
	return sess, nil
}

// SignInVouched starts a session for citizenID, whose identity an external
// provider vouched for (method "oidc"; subject is the provider's issuer|sub).
// The caller has checked the personal ID number. Like codes, attempts are
// throttled per client address: MaxCodesPerClient an hour.
func (s *Service) SignInVouched(ctx context.Context, citizenID, subject, client, method string) (Session, error) {
	if !ValidID(citizenID) {
		_ = s.store().failed(ctx, "", client, method)
		return Session{}, ErrBadCode
	}
	sess := Session{ID: randomToken(), CSRF: randomToken(), Method: method, CitizenID: citizenID, ExpiresAt: s.now().Add(s.sessionTTL())}
	if err := s.store().startVouched(ctx, sess, subject, client, s.now()); err != nil {
		return Session{}, err
	}
	if s.Log != nil {
		s.Log.Info("citizen: signed in", "method", method)
	}
	return sess, nil
}

// VouchedAllowed returns a *ThrottledError when client made
// MaxCodesPerClient sign-in attempts with method in the last hour.
func (s *Service) VouchedAllowed(ctx context.Context, client, method string) error {
	if client == "" {
		return nil
	}
	n, err := s.store().vouchedAttempts(ctx, client, method, s.now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if n >= MaxCodesPerClient {
		return &ThrottledError{After: throttleWindow}
	}
	return nil
}

// SignInRefused audits a sign-in refused before any session (for example an
// identity provider's answer without a valid personal ID number); why is a
// short reason kept in the audit row.
func (s *Service) SignInRefused(ctx context.Context, citizenID, client, method, why string) error {
	return s.store().refused(ctx, citizenID, client, method, why)
}

// Session returns the live session with cookie value id.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	if id == "" || len(id) > 100 {
		return Session{}, ErrNoSession
	}
	sess, err := s.store().session(ctx, hashSecret(id), s.now())
	sess.ID = id
	return sess, err
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, sess Session) error {
	return s.store().endSession(ctx, hashSecret(sess.ID), sess.Actor())
}

// Dossier is one of the citizen's dossiers as the page shows it.
type Dossier struct {
	ID             string     `json:"id"`
	ProcedureCode  string     `json:"procedure_code"`
	ProcedureName  string     `json:"procedure_name"`
	Agency         string     `json:"agency"`
	Status         string     `json:"status"`
	SubmittedAt    time.Time  `json:"submitted_at"`
	ProcessingDays float64    `json:"processing_days"`
	Due            time.Time  `json:"due,omitzero"` // statutory deadline (workcal), zero when unknown
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	Rating         *Rating    `json:"rating,omitempty"`
}

// Dossiers lists citizenID's dossiers, newest first (drafts included).
func (s *Service) Dossiers(ctx context.Context, citizenID string) ([]Dossier, error) {
	return s.store().dossiers(ctx, citizenID)
}

// Rating is a citizen's satisfaction with a decided dossier.
type Rating struct {
	DossierID string    `json:"dossier_id"`
	Score     int       `json:"score"`
	Comment   string    `json:"comment,omitempty"`
	At        time.Time `json:"at"`
}

// MaxComment is the longest comment kept (runes).
const MaxComment = 1000

// Rate records citizenID's rating of a decided dossier of theirs; rating
// again replaces it (one row per dossier).
func (s *Service) Rate(ctx context.Context, citizenID, dossierID string, score int, comment string) (Rating, error) {
	if score < 1 || score > 5 {
		return Rating{}, dossier.Errorf(dossier.CodeInvalid, "điểm đánh giá phải từ 1 đến 5 (score must be 1 to 5)")
	}
	comment = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(comment, "\x00", ""), ""))
	if r := []rune(comment); len(r) > MaxComment {
		comment = string(r[:MaxComment])
	}
	return s.store().rate(ctx, citizenID, dossierID, score, comment, s.now())
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// hashCode hashes a six-digit code with its row's link hash as salt, so that
// the table does not hold a million-entry lookup of bare code hashes.
func hashCode(token, code string) string { return hashCodeH(hashSecret(token), code) }

func hashCodeH(linkHash, code string) string { return hashSecret(linkHash + ":" + code) }

// Proactive returns which of citizenID's inbox items a proactive rule
// drafted: those the citizen accepts or declines.
func (s *Service) Proactive(ctx context.Context, citizenID string) (map[int64]bool, error) {
	return s.store().proactive(ctx, citizenID)
}
