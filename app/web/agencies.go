package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
)

func (c *Console) agencies() *agency.Store { return agency.NewStore(c.d.Pool) }

// agencyName is the agency's name, or its code when the table lacks it.
func (c *Console) agencyName(ctx context.Context, code string) string {
	if a, err := c.agencies().Get(ctx, code); err == nil {
		return a.Name
	}
	return code
}

// handleAgencies lists the agencies with a form to add or change one
// (administrators).
func (c *Console) handleAgencies(w http.ResponseWriter, r *http.Request) {
	c.showAgencies(w, r, http.StatusOK, "", agency.Agency{Active: true})
}

func (c *Console) showAgencies(w http.ResponseWriter, r *http.Request, status int, errMsg string, form agency.Agency) {
	list, err := c.agencies().List(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, status, "agencies", map[string]any{"Agencies": list, "Error": errMsg, "Form": form})
}

// handlePutAgency creates or changes an agency, keyed by code, and audits
// the change in the same request (the table's before and after).
func (c *Console) handlePutAgency(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	in := agency.Agency{Code: strings.TrimSpace(r.PostFormValue("code")), Name: r.PostFormValue("name"),
		Province: r.PostFormValue("province"), Active: r.PostFormValue("active") == "1"}
	before, after, err := c.agencies().Put(ctx, in)
	if err == nil && !before.UpdatedAt.Equal(after.UpdatedAt) {
		var b any
		if before.Code != "" {
			b = before
		}
		err = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "agency.put", Entity: "agency", EntityID: after.Code, Before: b, After: after})
	}
	if err != nil {
		if dossier.ErrorCode(err) == "" {
			c.fail(w, r, err)
			return
		}
		msg := err.Error()
		var de *dossier.Error
		if errorsAs(err, &de) {
			msg = de.Message
		}
		c.showAgencies(w, r, http.StatusBadRequest, msg, in)
		return
	}
	http.Redirect(w, r, "/console/agencies?done=agency_save", http.StatusSeeOther)
}
