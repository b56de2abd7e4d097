package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/regulation"
)

func init() { register(newRegsCmd) }

func newRegsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "regs",
		Short: "Chỉ mục văn bản pháp luật (regulation index)",
		Long: `Nhập văn bản quy phạm pháp luật, tách thành Điều/khoản/điểm, tìm kiếm kết hợp
(từ khóa + vector) và trích dẫn căn cứ cho từng thành phần hồ sơ.

Import legal texts split into articles, clauses and points, search them with
hybrid (lexical + vector) retrieval, and cite the article behind every
requirement of a procedure.

Vector embeddings come from the OpenAI-compatible endpoint when
OPENAI_EMBEDDING_MODEL is set, otherwise from the local hashing embedder.`,
	}
	cmd.AddCommand(newRegsImportCmd(e), newRegsSearchCmd(e), newRegsCiteCmd(e), newRegsReembedCmd(e))
	return cmd
}

// regsStore opens the regulation store with the configured embedder.
func regsStore(cmd *cobra.Command, e *env) (*regulation.Store, error) {
	ctx := cmd.Context()
	pool, err := e.db(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	var emb regulation.Embedder = embedding.NewHashing()
	if cfg.LLMConfigured() && cfg.OpenAIEmbeddingModel != "" {
		c, err := llm.New(cfg, pool, nil, e.logger())
		if err != nil {
			return nil, err
		}
		if r := c.Embedder(); r != nil {
			emb = r
		}
	}
	return regulation.NewStore(pool, emb), nil
}

func newRegsImportCmd(e *env) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "import [file|dir]...",
		Short: "Nhập văn bản pháp luật (import legal texts)",
		Long: `Nhập các tệp .txt/.md (hoặc thư mục). Không có đối số thì nhập mọi văn bản trong
../shared/data (legal-texts-rightly, laws-underthesea-vlc, phapdien-excerpts-diepxuan),
hoặc data/legal khi không có ../shared. Nhập lại cùng tệp không thay đổi gì.

Import .txt/.md legal texts (files or directories). Without arguments, imports
every legal text in ../shared/data, or data/legal when ../shared is absent.
Re-importing a file changes nothing.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths := args
			if len(paths) == 0 {
				if d := e.sharedDataDir(); d != "" {
					for _, s := range []string{"legal-texts-rightly", "laws-underthesea-vlc", "phapdien-excerpts-diepxuan"} {
						paths = append(paths, filepath.Join(d, s))
					}
				} else {
					paths = []string{"data/legal"}
				}
			}
			s, err := regsStore(cmd, e)
			if err != nil {
				return err
			}
			start := time.Now()
			rep, err := s.Import(cmd.Context(), paths, e.stderr)
			if err != nil {
				return err
			}
			if jsonOut {
				return json.NewEncoder(e.stdout).Encode(rep)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
			for _, d := range rep.Imported {
				fmt.Fprintf(tw, "%s\t%d Điều\t%s\t%s\n", d.Number, d.Articles, d.Kind, truncate(d.Title, 70))
			}
			tw.Flush()
			printf(e.stdout, "Đã nhập %d văn bản (%d Điều, %d đoạn, %d vector) từ %d tệp trong %s; bỏ qua %d đã có.\n",
				rep.Documents, rep.Articles, rep.Chunks, rep.Embedded, rep.Files, time.Since(start).Round(time.Millisecond), rep.Skipped)
			printf(e.stdout, "Imported %d documents (%d articles, %d chunks, %d vectors) from %d files; %d already present.\n",
				rep.Documents, rep.Articles, rep.Chunks, rep.Embedded, rep.Files, rep.Skipped)
			for _, f := range rep.Failed {
				printf(e.stdout, "  không tách được / not split: %s (%s)\n", f.Path, f.Error)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in kết quả dạng JSON / print the report as JSON")
	return cmd
}

func newRegsSearchCmd(e *env) *cobra.Command {
	var k int
	var jsonOut, future bool
	var doc, inForce, mode string
	cmd := &cobra.Command{
		Use:   `search "<câu hỏi>"`,
		Short: "Tìm điều khoản (search articles and clauses)",
		Long: `Tìm các điều, khoản trả lời câu hỏi, kết hợp tìm theo từ khóa (có dấu và không
dấu) và theo vector, hợp nhất bằng reciprocal rank fusion.

Mỗi điều chỉ xuất hiện một lần, lấy từ bản sạch nhất (hợp nhất, rồi bản gốc,
OCR, trích Pháp điển), các bản khác ghi ở "cũng có trong". Chỉ tìm văn bản có
hiệu lực vào ngày --as-of (mặc định hôm nay); văn bản đã bị thay thế chỉ hiện
khi --as-of là ngày trước đó, văn bản chưa có hiệu lực chỉ hiện với
--include-future. Từ ngữ đời thường ("sổ đỏ", "mở quán") được mở rộng sang từ
ngữ của luật theo từ điển internal/regulation/thesaurus.yaml.

Search the articles and clauses that answer a question (hybrid lexical and
vector retrieval fused by reciprocal rank fusion). Each article appears once,
from its cleanest copy (consolidated, original, OCR, Pháp điển excerpt), the
other copies listed as "also in". Only documents in force on --as-of (today
by default) are searched: a replaced document appears only with an earlier
--as-of, one not yet in force only with --include-future. Citizens' words are
expanded to the law's words by the curated thesaurus.`,
		Example: `  hoso regs search "Con tôi mới sinh thì cần nộp giấy tờ gì?"
  hoso regs search "dang ky tam tru" --k 5 --json
  hoso regs search "hồ sơ đăng ký thường trú" --document 68/2020/QH14 --as-of 2026-01-01
  hoso regs search "thủ tục đăng ký khai sinh" --as-of 2027-06-01`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := regulation.Query{Text: strings.Join(args, " "), K: k, Document: doc, Mode: mode, IncludeFuture: future}
			if inForce != "" {
				t, err := time.Parse("2006-01-02", inForce)
				if err != nil {
					return fmt.Errorf("--as-of %q: ngày dạng YYYY-MM-DD / date as YYYY-MM-DD", inForce)
				}
				q.InForceOn = t
			}
			s, err := regsStore(cmd, e)
			if err != nil {
				return err
			}
			hits, err := s.Search(cmd.Context(), q)
			if err != nil {
				return err
			}
			if jsonOut {
				if hits == nil {
					hits = []regulation.Hit{}
				}
				return json.NewEncoder(e.stdout).Encode(hits)
			}
			if len(hits) == 0 {
				printf(e.stdout, "Không tìm thấy điều khoản nào (đã nhập văn bản chưa? hoso regs import). / No match (import texts with hoso regs import).\n")
				return nil
			}
			for i, h := range hits {
				printf(e.stdout, "%2d. %s — %s%s (%.4f)\n    %s\n", i+1, cite(h), truncate(h.Title, 60), version(h), h.Score, truncate(strings.ReplaceAll(h.Text, "\n", " "), 220))
				if len(h.AlsoIn) > 0 {
					var also []string
					for _, v := range h.AlsoIn {
						also = append(also, v.SourceKind)
					}
					printf(e.stdout, "    cũng có trong / also in: %s\n", strings.Join(also, ", "))
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&k, "k", 10, "số kết quả / number of hits (≤ 100)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON / print JSON")
	cmd.Flags().StringVar(&doc, "document", "", "chỉ trong văn bản số hiệu này / only this document number, e.g. 123/2015/NĐ-CP")
	cmd.Flags().StringVar(&inForce, "as-of", "", "ngày tra cứu: văn bản có hiệu lực vào ngày này (mặc định hôm nay) / only documents in force on YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&inForce, "in-force-on", "", "như --as-of / same as --as-of")
	cmd.Flags().BoolVar(&future, "include-future", false, "cả văn bản chưa có hiệu lực / also documents not yet in force")
	cmd.Flags().StringVar(&mode, "mode", regulation.ModeHybrid, "hybrid | lexical | vector")
	return cmd
}

// version describes the hit's text: its copy and validity.
func version(h regulation.Hit) string {
	v := " [" + h.SourceKind
	if h.EffectiveFrom != nil {
		v += ", hiệu lực từ " + h.EffectiveFrom.Format("02/01/2006")
	}
	if h.EffectiveTo != nil {
		v += ", hết hiệu lực " + h.EffectiveTo.Format("02/01/2006")
	}
	if !h.InForce {
		v += ", CHƯA/KHÔNG có hiệu lực (not in force)"
	}
	return v + "]"
}

// cite formats a hit as Vietnamese lawyers write it: "điểm a khoản 1 Điều 16 60/2014/QH13".
func cite(h regulation.Hit) string {
	var b strings.Builder
	if h.Point != nil {
		fmt.Fprintf(&b, "điểm %s ", *h.Point)
	}
	if h.Clause != nil {
		fmt.Fprintf(&b, "khoản %d ", *h.Clause)
	}
	fmt.Fprintf(&b, "Điều %s %s", h.ArticleLabel, h.Document)
	return b.String()
}

func newRegsCiteCmd(e *env) *cobra.Command {
	var code string
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "cite",
		Short: "Trích dẫn căn cứ cho thành phần hồ sơ (cite the regulation behind requirements)",
		Long: `Tính và lưu trích dẫn (Điều, khoản, điểm và đoạn trích) cho từng thành phần hồ sơ
của một thủ tục (--procedure) hoặc của mọi thủ tục trong danh mục.

Compute and store the citations of every requirement of one procedure
(--procedure) or of every procedure in the catalog.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := regsStore(cmd, e)
			if err != nil {
				return err
			}
			pool, err := e.db(ctx)
			if err != nil {
				return err
			}
			cs := catalog.NewStore(pool)
			var codes []string
			if code != "" {
				codes = []string{code}
			} else {
				if codes, err = cs.Codes(ctx); err != nil {
					return fmt.Errorf("list procedures (import the catalog first: hoso catalog import): %w", err)
				}
			}
			out := map[string]map[string]any{}
			for _, c := range codes {
				p, err := cs.Get(ctx, c, time.Now())
				if err != nil {
					return err
				}
				if err := s.CiteProcedure(ctx, p); err != nil {
					return err
				}
				reqs := map[string]any{}
				for _, r := range p.Requirements {
					cits, err := s.Citations(ctx, p.Code, r.Key)
					if err != nil {
						return err
					}
					reqs[r.Key] = cits
					if !jsonOut && len(cits) > 0 {
						h := regulation.Hit{Document: cits[0].Document, ArticleLabel: fmt.Sprint(cits[0].Article), Clause: cits[0].Clause, Point: cits[0].Point}
						printf(e.stdout, "%s  %s\n    → %s [%s]: “%s”\n", p.Code, truncate(r.Name, 70), cite(h), cits[0].Source, truncate(cits[0].Text, 160))
					}
				}
				out[p.Code] = reqs
			}
			if jsonOut {
				return json.NewEncoder(e.stdout).Encode(out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&code, "procedure", "", "mã thủ tục / procedure code, e.g. 1.001193")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "in JSON / print JSON")
	return cmd
}

func newRegsReembedCmd(e *env) *cobra.Command {
	var version string
	var trainPPMI bool
	cmd := &cobra.Command{
		Use:   "reembed",
		Short: "Tạo lại vector với bộ nhúng hiện tại hoặc của một phiên bản quy trình (re-embed)",
		Long: `Tạo vector cho mọi đoạn chưa có vector của bộ nhúng đang cấu hình (sau khi đổi
OPENAI_EMBEDDING_MODEL), có thanh tiến trình, và tạo chỉ mục HNSW cho nó. Với
--pipeline, dùng bộ nhúng mà phiên bản đó chỉ định (providers.embed): xây chỉ mục
cho một phiên bản ứng viên trước khi chạy bóng hoặc kích hoạt nó.

Embed every chunk that has no vector for the configured embedder (after
switching OPENAI_EMBEDDING_MODEL), with progress, and create its HNSW index.
With --pipeline, use the embedder that stored version names (providers.embed):
build a candidate's regulation index before shadowing or activating it.

--train-ppmi: huấn luyện bộ nhúng PPMI-SVD (local-ppmi-svd-…-v1) trên các đoạn đã
nhập, lưu nó (regulation_models) và tạo vector cho mọi đoạn bằng nó, bên cạnh bộ
nhúng hashing. Bộ nhúng mặc định vẫn là hashing: trên tập dev câu hỏi đời thường
PPMI-SVD kém hơn (evals/everyday/README.md). Một phiên bản quy trình dùng nó với
providers.embed: {provider: local, model: ppmi-svd}.
--train-ppmi: train the corpus's PPMI-SVD word-vector embedder on the imported
chunks, store it and embed every chunk with it, beside the hashing embedder.
The default stays hashing: PPMI-SVD scored lower on the everyday dev questions.
A pipeline version uses it with providers.embed: {provider: local, model: ppmi-svd}.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := regsStore(cmd, e)
			if err != nil {
				return err
			}
			// Trained first, so that a version naming ppmi-svd
			// (providers.embed.model) embeds with this training.
			if trainPPMI {
				p, err := s.TrainPPMI(cmd.Context(), embedding.PPMIOptions{})
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "Đã huấn luyện (trained) %s: %d từ (terms)\n", p.Name(), p.Terms())
				s = s.WithEmbedder(p)
			}
			if version != "" {
				pool, err := e.db(cmd.Context())
				if err != nil {
					return err
				}
				v, err := pipelinestore.New(pool).Get(cmd.Context(), version)
				if err != nil {
					return err
				}
				def, err := v.Definition()
				if err != nil {
					return err
				}
				cfg, err := e.config()
				if err != nil {
					return err
				}
				emb, err := service.EmbedderFor(llm.NewModels(cfg, nil, e.logger()), s)(def)
				if err != nil {
					return err
				}
				s = s.WithEmbedder(emb)
			}
			n, err := s.Reembed(cmd.Context(), e.stderr)
			if err != nil {
				return err
			}
			printf(e.stdout, "Đã tạo %d vector với %s (%d chiều). / Embedded %d chunks with %s (%d dimensions).\n",
				n, s.Embedder().Name(), s.Embedder().Dimension(), n, s.Embedder().Name(), s.Embedder().Dimension())
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "pipeline", "", "dùng bộ nhúng của phiên bản quy trình này (use this stored version's embedder)")
	cmd.Flags().BoolVar(&trainPPMI, "train-ppmi", false, "huấn luyện và dùng bộ nhúng PPMI-SVD trên văn bản đã nhập (train and use the corpus PPMI-SVD embedder)")
	return cmd
}
