package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/signing"
)

// handleReceipt downloads a dossier's signed receipt, the PDF the agency
// signed when an official accepted the dossier. Only officials of the
// dossier's agency may; each download is audited like a document view.
func (c *Console) handleReceipt(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	if err := c.authorize(ctx, a, id, "receipt.download"); err != nil {
		c.fail(w, r, err)
		return
	}
	rec, ok, err := (&signing.Service{Pool: c.d.Pool}).Receipt(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !ok {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	_ = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "receipt.download", Entity: "dossier", EntityID: id})
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "bien-nhan-" + id + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(rec.Content)))
	w.Header().Set("Cache-Control", "private, no-store")
	if _, err := w.Write(rec.Content); err != nil {
		c.log.Warn("console: send receipt", "dossier_id", id, "err", err)
	}
}
