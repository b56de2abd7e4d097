package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/internal/llm"
)

func init() { register(newReplayCmd) }

// storeRef turns a file argument into a stored version label; other
// arguments are resolved as stored version references.
func storeRef(cmd *cobra.Command, e *env, st *pipelinestore.Store, ref, by string) (string, error) {
	if src, err := os.ReadFile(ref); err == nil {
		v, _, err := st.Put(cmd.Context(), src, operator(e, by), "")
		return v.Label, err
	}
	v, err := st.Get(cmd.Context(), ref)
	return v.Label, err
}

func newReplayCmd(e *env) *cobra.Command {
	var pipeline, by string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "replay <dossier-id> [--pipeline <version|file>]",
		Short: "Chạy lại một hồ sơ đúng như đã ghi rồi so với phiên bản khác (replay a dossier as recorded and diff)",
		Long: `Chạy lại hồ sơ trong vùng nháp (không ghi gì vào hồ sơ thật) đúng như đã ghi: cùng
phiên bản quy trình, mô hình và mã băm prompt đã ghi; rồi chạy theo phiên bản đang
kích hoạt (hoặc --pipeline) và in khác biệt. Dùng cho khiếu nại và phúc tra.

Re-runs a dossier into a scratch area exactly as recorded (its pipeline
version; the models and prompt hashes recorded are shown and checked), then
under the active version (or --pipeline), and prints the difference. Exits 4
when the recorded findings were not reproduced.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := operatorService(cmd.Context(), e)
			if err != nil {
				return err
			}
			ref := ""
			if pipeline != "" {
				if ref, err = storeRef(cmd, e, svc.Pipelines, pipeline, by); err != nil {
					return err
				}
			}
			rep, err := svc.Replay.Replay(cmd.Context(), args[0], ref, operator(e, by))
			if err != nil {
				return err
			}
			if asJSON {
				err = writeJSONOut(e, rep)
			} else {
				printReplay(e, rep)
			}
			if err == nil && !rep.Exact {
				return exitError{code: 4}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&pipeline, "pipeline", "", "so sánh với phiên bản này (compare with this version or file)")
	cmd.Flags().StringVar(&by, "by", "", "người thực hiện (operator; default $USER)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "in JSON (print JSON)")
	return cmd
}

func printReplay(e *env, r replay.Report) {
	w := e.stdout
	fmt.Fprintf(w, "Hồ sơ %s\nĐã ghi (recorded): %s\n", r.DossierID, r.Recorded)
	keys := []string{"classifier_recorded", "classifier_now", "ai_calls", "regulation_index"}
	for _, t := range llm.Tasks { // remote models pinned to what the dossier's calls used
		keys = append(keys, "model_"+t)
	}
	for _, k := range keys {
		if v := r.Pins[k]; v != "" {
			fmt.Fprintf(w, "  %s: %s\n", k, v)
		}
	}
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "  ! %s\n", x)
	}
	if r.Exact {
		fmt.Fprintf(w, "Chạy lại như đã ghi: TÁI LẬP ĐÚNG %d kết luận (reproduced exactly)\n", len(r.AsRecorded.Findings))
	} else {
		fmt.Fprintf(w, "Chạy lại như đã ghi: KHÔNG TÁI LẬP (not reproduced), %d khác biệt:\n", len(r.Mismatches))
		printChanges(e, r.Mismatches)
	}
	fmt.Fprintf(w, "\nSo với (compared with): %s\n", r.Compared)
	if len(r.Changes) == 0 && len(r.SuggestionChanges) == 0 {
		fmt.Fprintln(w, "  không khác (no differences)")
		return
	}
	if len(r.Changes) > 0 {
		fmt.Fprintf(w, "Kết luận thay đổi (findings): %d\n", len(r.Changes))
		printChanges(e, r.Changes)
	}
	if len(r.SuggestionChanges) > 0 {
		fmt.Fprintf(w, "Đề xuất thay đổi (suggestions): %d\n", len(r.SuggestionChanges))
		printChanges(e, r.SuggestionChanges)
	}
}

func printChanges(e *env, cs []replay.Change) {
	for _, c := range cs {
		switch c.Change {
		case "added":
			printf(e.stdout, "  + %s (%s)\n", c.Key, c.To)
		case "removed":
			printf(e.stdout, "  - %s (%s)\n", c.Key, c.From)
		default:
			printf(e.stdout, "  ~ %s: %s → %s %v\n", c.Key, c.From, c.To, c.Fields)
		}
	}
}
