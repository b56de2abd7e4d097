package config

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Var declares one environment variable: its name, its default (as it
// would be written in the environment; "" is unset), what it means, and the
// field of Config it sets. Load, Validate's messages, `hoso env` and the
// README's configuration table all come from Vars.
type Var struct {
	Name    string
	Default string
	// Shown is the default as documented when it is computed or clearer
	// in words ("$XDG_STATE_HOME/hoso", "20 MiB"); empty shows Default.
	Shown  string
	Doc    string // English, as in the README
	DocVI  string // Vietnamese, for `hoso env`
	Secret bool   // masked by `hoso env`
	parse  func(c *Config, v string, getenv func(string) string) error
}

// ShownDefault is the default as documented.
func (v Var) ShownDefault() string {
	switch {
	case v.Shown != "":
		return v.Shown
	case v.Default == "":
		return "unset"
	}
	return v.Default
}

// Getenv is the process environment, the one place hoso reads it (main
// hands it to Load; the extractor's sandbox and the test kits excepted).
func Getenv(name string) string { return os.Getenv(name) }

func str(f func(*Config) *string) func(*Config, string, func(string) string) error {
	return func(c *Config, v string, _ func(string) string) error { *f(c) = v; return nil }
}

func oneOf(f func(*Config) *string, allowed ...string) func(*Config, string, func(string) string) error {
	return func(c *Config, v string, _ func(string) string) error {
		v = strings.ToLower(strings.TrimSpace(v))
		for _, a := range allowed {
			if v == a {
				*f(c) = v
				return nil
			}
		}
		var names []string
		for _, a := range allowed {
			if a != "" {
				names = append(names, a)
			}
		}
		return fmt.Errorf("must be %s", strings.Join(names, ", "))
	}
}

func integer(min int64, set func(*Config, int64)) func(*Config, string, func(string) string) error {
	return func(c *Config, v string, _ func(string) string) error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("is not an integer")
		}
		if n < min {
			return fmt.Errorf("must be an integer of at least %d", min)
		}
		set(c, n)
		return nil
	}
}

func duration(min time.Duration, f func(*Config) *time.Duration) func(*Config, string, func(string) string) error {
	return func(c *Config, v string, _ func(string) string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("is not a duration like 10m")
		}
		if d < min {
			return fmt.Errorf("must be a duration of at least %s", min)
		}
		*f(c) = d
		return nil
	}
}

func boolean(f func(*Config) *bool) func(*Config, string, func(string) string) error {
	return func(c *Config, v string, _ func(string) string) error {
		if v == "" {
			*f(c) = false
			return nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("is not true or false")
		}
		*f(c) = b
		return nil
	}
}

// Vars is every environment variable hoso reads, in the order of the
// README's configuration table.
var Vars = []Var{
	{Name: "DATABASE_URL", Default: DefaultDatabaseURL,
		Doc: "PostgreSQL, created and migrated on start", DocVI: "PostgreSQL, tự tạo và migrate khi khởi động",
		parse: str(func(c *Config) *string { return &c.DatabaseURL })},
	{Name: "NATS_URL", Shown: "unset: `hoso serve`/`worker`/`demo` embed a server in `$HOSO_DATA_DIR/nats`",
		Doc:   "JetStream; comma-separated for a cluster. Commands that act (`submit`, `review`, `dlq retry`, `reprocess`, `replay`, `shadow`, `top`) use it or the embedded server of a running `hoso serve` on the same `HOSO_DATA_DIR`, and fail at once when neither answers: they never start a broker of their own",
		DocVI: "máy chủ NATS JetStream; trống: máy chủ nhúng",
		parse: str(func(c *Config) *string { return &c.NATSURL })},
	{Name: "HOSO_DATA_DIR", Shown: "`$XDG_STATE_HOME/hoso`, else `~/.local/state/hoso`",
		Doc:   "the embedded NATS store; always made absolute (a relative value is taken from the directory `hoso` starts in), so every command finds the same store from any directory",
		DocVI: "nơi lưu của máy chủ NATS nhúng (luôn là đường dẫn tuyệt đối)",
		parse: func(c *Config, v string, getenv func(string) string) (err error) {
			c.DataDir, err = dataDir(v, getenv)
			return err
		}},
	{Name: "HOSO_TOKEN", Secret: true,
		Doc:   "the API token of the official a CLI decision (`hoso review`) is made for",
		DocVI: "mã API của cán bộ mà lệnh CLI quyết định thay (`hoso review`)",
		parse: str(func(c *Config) *string { return &c.Token })},
	{Name: "USER", Shown: "set by the login shell",
		Doc: "who runs an operator command (`hoso dlq`, `hoso pipeline`…) when `--by` is not given", DocVI: "người chạy lệnh vận hành khi không có `--by`",
		parse: str(func(c *Config) *string { return &c.User })},
	{Name: "HOSO_NATS_REPLICAS", Default: "1",
		Doc: "stream replicas (3 in a cluster)", DocVI: "số bản sao stream (3 trong cụm)",
		parse: integer(0, func(c *Config, n int64) { c.NATSReplicas = int(n) })},
	{Name: "HOSO_STREAM_PREFIX", Default: DefaultStreamPrefix,
		Doc: "prefix of stream, subject and durable names, so that several deployments (or tests) share one NATS server", DocVI: "tiền tố tên stream, subject và consumer",
		parse: str(func(c *Config) *string { return &c.StreamPrefix })},
	{Name: "HOSO_HTTP_ADDR", Default: DefaultHTTPAddr,
		Doc: "API and console", DocVI: "địa chỉ của API và giao diện cán bộ",
		parse: str(func(c *Config) *string { return &c.HTTPAddr })},
	{Name: "HOSO_METRICS_ADDR", Shown: "unset: `/metrics` on `HOSO_HTTP_ADDR`",
		Doc: "serve `/metrics` only on this address (e.g. an internal interface); the API address then answers 404", DocVI: "chỉ phục vụ `/metrics` ở địa chỉ này",
		parse: str(func(c *Config) *string { return &c.MetricsAddr })},
	{Name: "HOSO_METRICS_TOKEN", Shown: "unset: open", Secret: true,
		Doc: "`/metrics` requires `Authorization: Bearer <token>` (≥ 16 characters; Prometheus `authorization.credentials`)", DocVI: "`/metrics` đòi mã Bearer này (≥ 16 ký tự)",
		parse: str(func(c *Config) *string { return &c.MetricsToken })},
	{Name: "HOSO_PIPELINE", Shown: "embedded `internal/pipelinedef/default.yaml`",
		Doc: "pipeline definition", DocVI: "tệp định nghĩa pipeline",
		parse: str(func(c *Config) *string { return &c.Pipeline })},
	{Name: "HOSO_SHARED_DATA", Shown: "`../shared/data` beside the working directory, when present",
		Doc: "directory of the public data sets (legal texts, procedures)", DocVI: "thư mục dữ liệu công khai (văn bản pháp luật, thủ tục)",
		parse: str(func(c *Config) *string { return &c.SharedData })},
	{Name: "HOSO_MAX_FILES", Default: strconv.Itoa(DefaultMaxFiles),
		Doc: "files in one dossier", DocVI: "số tệp tối đa của một hồ sơ",
		parse: integer(1, func(c *Config, n int64) { c.MaxFiles = int(n) })},
	{Name: "HOSO_MAX_FILE_BYTES", Default: strconv.Itoa(DefaultMaxFileBytes), Shown: "20 MiB",
		Doc: "bytes of one file", DocVI: "dung lượng tối đa của một tệp",
		parse: integer(1, func(c *Config, n int64) { c.MaxFileBytes = n })},
	{Name: "HOSO_MAX_DOSSIER_BYTES", Default: strconv.Itoa(DefaultMaxDossierBytes), Shown: "100 MiB",
		Doc: "bytes of one dossier", DocVI: "dung lượng tối đa của một hồ sơ",
		parse: integer(1, func(c *Config, n int64) { c.MaxDossierBytes = n })},
	{Name: "HOSO_RENDER_MAX_PIXELS", Default: "4000000",
		Doc: "console page images: pixel budget of one page ([every limit](docs/reliability.md#limits))", DocVI: "số điểm ảnh tối đa của một trang hiển thị",
		parse: integer(10_000, func(c *Config, n int64) { c.RenderMaxPixels = n })},
	{Name: "HOSO_RENDER_MEMORY_BYTES", Default: strconv.Itoa(256 << 20), Shown: "256 MiB",
		Doc: "memory rlimit of `pdfinfo`/`pdftoppm`", DocVI: "giới hạn bộ nhớ của pdftoppm",
		parse: integer(32<<20, func(c *Config, n int64) { c.RenderMemoryBytes = uint64(n) })},
	{Name: "HOSO_RENDER_CONCURRENCY", Default: "2",
		Doc: "page renders at once", DocVI: "số trang hiển thị cùng lúc",
		parse: integer(1, func(c *Config, n int64) { c.RenderConcurrency = int(n) })},
	{Name: "HOSO_RENDER_WAIT", Default: "5s",
		Doc: "wait for a render slot before answering 503", DocVI: "thời gian chờ lượt hiển thị trước khi trả 503",
		parse: duration(0, func(c *Config) *time.Duration { return &c.RenderWait })},
	{Name: "HOSO_RENDER_CACHE_BYTES", Default: strconv.Itoa(64 << 20), Shown: "64 MiB",
		Doc: "rendered pages kept in memory", DocVI: "bộ nhớ đệm trang đã hiển thị",
		parse: integer(1<<20, func(c *Config, n int64) { c.RenderCacheBytes = n })},
	{Name: "HOSO_STUCK_AFTER", Default: "10m",
		Doc: "reconciler re-publishes dossiers waiting longer in one stage", DocVI: "hồ sơ chờ lâu hơn ở một bước thì được gửi lại",
		parse: duration(0, func(c *Config) *time.Duration { return &c.StuckAfter })},
	{Name: "HOSO_DEFAULT_AGENCY", Default: DefaultAgency,
		Doc: "receiving agency of dossiers submitted without one; must be an active code of the agencies table or the service does not start", DocVI: "cơ quan tiếp nhận hồ sơ nộp không ghi cơ quan; phải là mã đang hoạt động trong bảng cơ quan",
		parse: str(func(c *Config) *string { return &c.DefaultAgency })},
	{Name: "OPENAI_BASE_URL", Shown: "unset: local models",
		Doc: "any OpenAI-compatible endpoint (OpenAI, Azure, vLLM, Ollama, llama.cpp)", DocVI: "điểm cuối tương thích OpenAI; trống: mô hình cục bộ",
		parse: str(func(c *Config) *string { return &c.OpenAIBaseURL })},
	{Name: "OPENAI_API_KEY", Secret: true,
		Doc: "its API key", DocVI: "khoá API của điểm cuối",
		parse: str(func(c *Config) *string { return &c.OpenAIAPIKey })},
	{Name: "OPENAI_MODEL",
		Doc: "its chat model", DocVI: "mô hình hội thoại",
		parse: str(func(c *Config) *string { return &c.OpenAIModel })},
	{Name: "OPENAI_EMBEDDING_MODEL",
		Doc: "its embedding model (regulation search)", DocVI: "mô hình embedding (tìm văn bản pháp luật)",
		parse: str(func(c *Config) *string { return &c.OpenAIEmbeddingModel })},
	{Name: "OPENAI_API_TYPE", Default: "openai",
		Doc: "`openai` or `azure` (Azure OpenAI, for base URLs that are not `*.openai.azure.com`)", DocVI: "`openai` hoặc `azure`",
		parse: oneOf(func(c *Config) *string { return &c.OpenAIAPIType }, "openai", "open_ai", "azure")},
	{Name: "OPENAI_API_VERSION",
		Doc: "Azure OpenAI `api-version`", DocVI: "`api-version` của Azure OpenAI",
		parse: str(func(c *Config) *string { return &c.OpenAIAPIVersion })},
	{Name: "HOSO_LLM_TIMEOUT", Default: "60s",
		Doc: "deadline of one endpoint call", DocVI: "thời hạn một lần gọi mô hình",
		parse: duration(0, func(c *Config) *time.Duration { return &c.LLMTimeout })},
	{Name: "HOSO_LLM_REDACT", Shown: "on, off for a loopback endpoint",
		Doc: "`on` or `off`: redact personal data before it leaves for the endpoint", DocVI: "`on`/`off`: che dữ liệu cá nhân trước khi gửi đi",
		parse: func(c *Config, v string, _ func(string) string) error {
			switch strings.ToLower(v) {
			case "":
				c.LLMRedact = ""
			case "on", "true", "1", "yes":
				c.LLMRedact = "on"
			case "off", "false", "0", "no":
				c.LLMRedact = "off"
			default:
				return fmt.Errorf("must be on or off")
			}
			return nil
		}},
	{Name: "HOSO_LLM_MAX_CONCURRENT", Shown: "the provider's default",
		Doc: "calls in flight to the endpoint", DocVI: "số lời gọi đồng thời tới điểm cuối",
		parse: func(c *Config, v string, g func(string) string) error {
			if v == "" {
				return nil
			}
			return integer(0, func(c *Config, n int64) { c.LLMMaxConcurrent = int(n) })(c, v, g)
		}},
	{Name: "HOSO_LLM_DOSSIER_TOKEN_BUDGET", Default: "200000",
		Doc: "tokens one dossier may spend on remote models (0: no limit)", DocVI: "số token một hồ sơ được dùng (0: không giới hạn)",
		parse: integer(0, func(c *Config, n int64) { c.LLMDossierTokenBudget = n })},
	{Name: "HOSO_LLM_RESPONSE_FORMAT", Default: "json_schema",
		Doc: "`json_schema`, `json_object` or `none`, for endpoints without structured output", DocVI: "`json_schema`, `json_object` hoặc `none`",
		parse: oneOf(func(c *Config) *string { return &c.LLMResponseFormat }, "json_schema", "json_object", "none")},
	{Name: "HOSO_LLM_EMBEDDING_DIM", Shown: "known from the model name",
		Doc: "dimension of a remote embedding model hoso does not know", DocVI: "số chiều của mô hình embedding lạ",
		parse: func(c *Config, v string, g func(string) string) error {
			if v == "" {
				return nil
			}
			return integer(0, func(c *Config, n int64) { c.LLMEmbeddingDim = int(n) })(c, v, g)
		}},
	{Name: "HOSO_SECURE_COOKIES", Default: "false", Shown: "false (true under TLS)",
		Doc: "mark console cookies Secure even on plain HTTP (behind a TLS proxy)", DocVI: "luôn đặt cookie Secure (sau proxy TLS)",
		parse: boolean(func(c *Config) *bool { return &c.SecureCookies })},
	{Name: "HOSO_SESSION_IDLE", Default: "30m",
		Doc: "console session ends after this long without a request", DocVI: "phiên hết hạn sau thời gian không hoạt động này",
		parse: duration(time.Minute, func(c *Config) *time.Duration { return &c.SessionIdle })},
	{Name: "HOSO_SESSION_MAX_AGE", Default: "12h",
		Doc: "console session ends this long after sign-in", DocVI: "phiên hết hạn sau thời gian này kể từ khi đăng nhập",
		parse: duration(time.Minute, func(c *Config) *time.Duration { return &c.SessionMaxAge })},
	{Name: "HOSO_AUDIT_SAMPLE_RATE", Default: "10%",
		Doc: "share of high-confidence pre-checks put in front of reviewers (0..1 or a percentage)", DocVI: "tỉ lệ hồ sơ tin cậy cao đưa cán bộ kiểm tra lại",
		parse: func(c *Config, v string, _ func(string) string) error {
			v = strings.TrimSpace(v)
			pct := strings.HasSuffix(v, "%")
			f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
			if pct {
				f /= 100
			}
			if err != nil || f < 0 || f > 1 {
				return fmt.Errorf("must be between 0 and 1 (or 0%%–100%%)")
			}
			c.AuditSampleRate = f
			return nil
		}},
	{Name: "HOSO_TRUSTED_PROXIES",
		Doc: "reverse proxies (addresses or CIDR prefixes, comma-separated) whose `X-Forwarded-For` names the client, for sign-in throttling and session records", DocVI: "các proxy tin cậy (địa chỉ hoặc CIDR, cách nhau bằng dấu phẩy)",
		parse: func(c *Config, v string, _ func(string) string) error {
			c.TrustedProxies = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				pfx, err := netip.ParsePrefix(p)
				if err != nil {
					a, aerr := netip.ParseAddr(p)
					if aerr != nil {
						return fmt.Errorf("entry %q is not an IP address or CIDR prefix", p)
					}
					pfx = netip.PrefixFrom(a, a.BitLen())
				}
				c.TrustedProxies = append(c.TrustedProxies, pfx.Masked())
			}
			return nil
		}},
	{Name: "HOSO_OIDC_ISSUER", Shown: "unset: no external sign-in",
		Doc: "sign-in with an external OpenID Connect identity provider: its issuer URL", DocVI: "đăng nhập qua nhà cung cấp định danh OIDC: địa chỉ issuer",
		parse: str(func(c *Config) *string { return &c.OIDCIssuer })},
	{Name: "HOSO_OIDC_CLIENT_ID",
		Doc: "hoso's client id at the provider", DocVI: "mã client của hoso",
		parse: str(func(c *Config) *string { return &c.OIDCClientID })},
	{Name: "HOSO_OIDC_CLIENT_SECRET", Secret: true,
		Doc: "hoso's client secret at the provider", DocVI: "khoá bí mật client của hoso",
		parse: str(func(c *Config) *string { return &c.OIDCClientSecret })},
	{Name: "HOSO_OIDC_REDIRECT_URL",
		Doc: "the console's callback URL (`…/console/oidc/callback`)", DocVI: "địa chỉ callback của giao diện",
		parse: str(func(c *Config) *string { return &c.OIDCRedirectURL })},
	{Name: "HOSO_OIDC_AGENCY_CLAIM", Shown: "agency",
		Doc: "ID-token claim naming the official's agency", DocVI: "claim chứa cơ quan của cán bộ",
		parse: str(func(c *Config) *string { return &c.OIDCAgencyClaim })},
	{Name: "HOSO_OIDC_ROLES_CLAIM", Shown: "roles",
		Doc: "ID-token claim listing the official's roles", DocVI: "claim chứa vai trò của cán bộ",
		parse: str(func(c *Config) *string { return &c.OIDCRolesClaim })},
	{Name: "HOSO_OIDC_ROLE_PREFIX",
		Doc: "prefix stripped from provider roles (only roles with it count)", DocVI: "tiền tố vai trò được bỏ đi",
		parse: str(func(c *Config) *string { return &c.OIDCRolePrefix })},
	{Name: "HOSO_OIDC_SCOPES", Shown: "openid profile email",
		Doc: "scopes requested, space-separated", DocVI: "các scope yêu cầu, cách nhau bằng dấu cách",
		parse: func(c *Config, v string, _ func(string) string) error { c.OIDCScopes = strings.Fields(v); return nil }},
	{Name: "HOSO_CITIZEN_OIDC_ISSUER", Shown: "unset: citizens sign in with one-time codes only",
		Doc:   "citizens' sign-in on `/citizen` with an OpenID Connect identity provider (e.g. VNeID): its issuer URL; needs the client id and redirect URL",
		DocVI: "công dân đăng nhập bằng tài khoản định danh OIDC (ví dụ VNeID): địa chỉ issuer",
		parse: str(func(c *Config) *string { return &c.CitizenOIDCIssuer })},
	{Name: "HOSO_CITIZEN_OIDC_CLIENT_ID",
		Doc: "hoso's client id at the citizens' provider", DocVI: "mã client của hoso tại nhà cung cấp định danh công dân",
		parse: str(func(c *Config) *string { return &c.CitizenOIDCClientID })},
	{Name: "HOSO_CITIZEN_OIDC_CLIENT_SECRET", Secret: true,
		Doc: "hoso's client secret at the citizens' provider", DocVI: "khoá bí mật client tại nhà cung cấp định danh công dân",
		parse: str(func(c *Config) *string { return &c.CitizenOIDCClientSecret })},
	{Name: "HOSO_CITIZEN_OIDC_REDIRECT_URL",
		Doc: "the citizen page's callback URL (`…/citizen/oidc/callback`)", DocVI: "địa chỉ callback của trang công dân",
		parse: str(func(c *Config) *string { return &c.CitizenOIDCRedirectURL })},
	{Name: "HOSO_CITIZEN_OIDC_ID_CLAIM", Shown: "national_id",
		Doc: "ID-token claim holding the citizen's 12-digit personal ID number", DocVI: "claim chứa số định danh cá nhân (12 số) của công dân",
		parse: str(func(c *Config) *string { return &c.CitizenOIDCIDClaim })},
	{Name: "HOSO_LOG_LEVEL", Default: "info",
		Doc: "`debug`, `info`, `warn` or `error`; `slog` with stable keys (`dossier_id`, `stage`, …)", DocVI: "mức ghi log",
		parse: str(func(c *Config) *string { return &c.LogLevel })},
	{Name: "HOSO_LOG_FORMAT", Default: "json",
		Doc: "`json` or `text`", DocVI: "định dạng log: `json` hoặc `text`",
		parse: oneOf(func(c *Config) *string { return &c.LogFormat }, "json", "text")},
	{Name: "HOSO_TRACE", Shown: "unset: spans not recorded",
		Doc: "`stdout` writes trace spans as JSON to standard output", DocVI: "`stdout`: ghi span ra đầu ra chuẩn",
		parse: oneOf(func(c *Config) *string { return &c.Trace }, "", "stdout")},
	{Name: "OTEL_EXPORTER_OTLP_ENDPOINT",
		Doc: "export trace spans over OTLP/HTTP (the exporter reads the other standard `OTEL_*` variables)", DocVI: "gửi span qua OTLP/HTTP",
		parse: str(func(c *Config) *string { return &c.OTLPEndpoint })},
	{Name: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
		Doc: "the same, for traces only", DocVI: "như trên, chỉ cho trace",
		parse: str(func(c *Config) *string { return &c.OTLPTracesEndpoint })},
	{Name: "OTEL_SERVICE_NAME", Default: "hoso",
		Doc: "`service.name` of the spans", DocVI: "tên dịch vụ trong span",
		parse: str(func(c *Config) *string { return &c.OTELServiceName })},
	{Name: "HOSO_EVAL_KEEP_SCHEMA", Shown: "unset: dropped",
		Doc: "`hoso eval` keeps its database schema for inspection", DocVI: "`hoso eval` giữ lại schema cơ sở dữ liệu để xem",
		parse: func(c *Config, v string, _ func(string) string) error { c.EvalKeepSchema = v != ""; return nil }},
	{Name: "HOSO_TRUST_STORE", Shown: "unset: no issuer trusted",
		Doc: "PEM bundle of the root certificates whose signatures on submitted PDFs are trusted (nothing is fetched)", DocVI: "tệp PEM các chứng thư gốc được tin cậy khi kiểm tra chữ ký số trên PDF nộp vào",
		parse: str(func(c *Config) *string { return &c.TrustStore })},
	{Name: "HOSO_TRUST_CRLS", Shown: "unset: no revocation list",
		Doc: "CRL files (PEM or DER), comma-separated, that mark certificates revoked", DocVI: "các tệp CRL (PEM hoặc DER), cách nhau bằng dấu phẩy, đánh dấu chứng thư bị thu hồi",
		parse: func(c *Config, v string, _ func(string) string) error {
			c.TrustCRLs = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.TrustCRLs = append(c.TrustCRLs, p)
				}
			}
			return nil
		}},
	{Name: "HOSO_SIGNING_KEY", Shown: "unset: nothing signed (the demo makes its own keys)",
		Doc: "PEM private key of the agency that signs receipts, reports, decisions and messages (with HOSO_SIGNING_CERT)", DocVI: "khóa bí mật PEM của cơ quan dùng để ký giấy tiếp nhận, báo cáo, quyết định, thông báo",
		parse: str(func(c *Config) *string { return &c.SigningKey })},
	{Name: "HOSO_SIGNING_CERT",
		Doc: "PEM certificate (and chain) of that key", DocVI: "chứng thư PEM (và chuỗi) của khóa đó",
		parse: str(func(c *Config) *string { return &c.SigningCert })},
	{Name: "HOSO_SIGNING_P12",
		Doc: "a PKCS#12 file holding the agency key and certificate, instead of the two PEM files", DocVI: "tệp PKCS#12 chứa khóa và chứng thư của cơ quan, thay cho hai tệp PEM",
		parse: str(func(c *Config) *string { return &c.SigningP12 })},
	{Name: "HOSO_SIGNING_P12_PASSWORD", Secret: true,
		Doc: "password of the PKCS#12 file", DocVI: "mật khẩu của tệp PKCS#12",
		parse: str(func(c *Config) *string { return &c.SigningP12Password })},
}

// Markdown is the README's configuration table, generated from Vars
// (TestREADMEConfigurationTable keeps the README equal to it).
func Markdown() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Meaning |\n|---|---|---|\n")
	for _, v := range Vars {
		def := v.ShownDefault()
		if v.Shown == "" && v.Default != "" {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", v.Name, def, v.Doc)
	}
	return b.String()
}

// Setting is one variable as `hoso env` shows it.
type Setting struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Value   string `json:"value"` // as set in the environment, masked for a secret; "" unset
	Set     bool   `json:"set"`
	Doc     string `json:"doc"`
	DocVI   string `json:"doc_vi"`
}

// Describe lists every variable with its default and its current value in
// getenv; secrets show only that they are set.
func Describe(getenv func(string) string) []Setting {
	out := make([]Setting, 0, len(Vars))
	for _, v := range Vars {
		s := Setting{Name: v.Name, Default: v.ShownDefault(), Value: getenv(v.Name), Doc: v.Doc, DocVI: v.DocVI}
		s.Set = s.Value != ""
		if v.Secret && s.Set {
			s.Value = "******** (đã đặt/set)"
		}
		out = append(out, s)
	}
	return out
}
