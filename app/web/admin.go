package web

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
)

// auditPageSize is the number of audit rows per page.
const auditPageSize = 100

// handleAuditLog shows the audit trail (admins) with the chain's verification.
// An admin sees the whole log: the chain is one sequence and verifying it
// needs every row; entries name officials and dossiers, not citizens' data.
func (c *Console) handleAuditLog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	entity, entityID, actor := strings.TrimSpace(q.Get("entity")), strings.TrimSpace(q.Get("entity_id")), strings.TrimSpace(q.Get("actor"))
	before, err := param.Int(q, "before", 0, 0, math.MaxInt64)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	where := `WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND ($3 = '' OR actor = $3) AND ($4::bigint = 0 OR seq < $4::bigint)
		ORDER BY seq DESC LIMIT ` + strconv.Itoa(auditPageSize)
	rows, err := c.auditRows(ctx, where, entity, entityID, actor, before)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	n, problems, err := audit.Verify(ctx, c.d.Pool)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	a, _ := ActorFrom(ctx)
	_ = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "audit.view", Entity: "audit_log", EntityID: "*",
		After: map[string]string{"entity": entity, "entity_id": entityID, "actor": actor}})
	data := map[string]any{"Rows": rows, "Checked": n, "Problems": problems, "Entity": entity, "EntityID": entityID, "Actor": actor}
	if len(rows) == auditPageSize {
		nq := url.Values{"entity": {entity}, "entity_id": {entityID}, "actor": {actor}, "before": {strconv.FormatInt(rows[len(rows)-1].Seq, 10)}}
		data["Older"] = "?" + nq.Encode()
	}
	if before != 0 {
		data["Newest"] = "?" + url.Values{"entity": {entity}, "entity_id": {entityID}, "actor": {actor}}.Encode()
	}
	c.render(w, r, http.StatusOK, "audit", data)
}

// handleUsers lists the accounts of every agency: an administrator manages
// officials of any agency (issue 21).
func (c *Console) handleUsers(w http.ResponseWriter, r *http.Request) {
	c.showUsers(w, r, http.StatusOK, "", "")
}

func (c *Console) showUsers(w http.ResponseWriter, r *http.Request, status int, errMsg, token string) {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	filter := r.URL.Query().Get("agency")
	users, err := c.users.Users(ctx, filter)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	ags, err := c.agencies().List(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, x := range ags {
		names[x.Code] = x.Name
	}
	pg, pages := listPage(r, len(users), usersPageSize)
	lo := (pg - 1) * usersPageSize
	c.render(w, r, status, "users", map[string]any{"Users": users[lo:min(lo+usersPageSize, len(users))], "Roles": auth.AllRoles, "Error": errMsg,
		"Agency": a.Agency, "Token": token, "Agencies": ags, "Names": names, "Filter": filter, "Page": pg, "Pages": pages, "Total": len(users)})
}

// handleAddUser creates a local account in an active agency of the
// administrator's choice (their own by default).
func (c *Console) handleAddUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	u := auth.User{ID: r.PostFormValue("id"), Name: r.PostFormValue("name"), Agency: cmp.Or(strings.TrimSpace(r.PostFormValue("agency")), a.Agency),
		Email: strings.TrimSpace(r.PostFormValue("email")), Roles: r.PostForm["roles"]}
	var created auth.User
	err := func() error {
		if _, err := c.agencies().Active(ctx, u.Agency); err != nil {
			return err
		}
		var err error
		created, err = c.users.AddUser(ctx, u, r.PostFormValue("password"))
		if err != nil {
			return err
		}
		return audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "user.add", Entity: "user", EntityID: created.ID, After: created})
	}()
	if err != nil {
		if dossier.ErrorCode(err) == "" {
			c.fail(w, r, err)
			return
		}
		c.showUsers(w, r, http.StatusBadRequest, errMessage(err), "")
		return
	}
	http.Redirect(w, r, "/console/users?done=user_add", http.StatusSeeOther)
}

// handleUpdateUser changes roles, disables or enables an account of any
// agency, or issues an API token for it.
func (c *Console) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	if _, err := c.users.User(ctx, id); err != nil {
		c.fail(w, r, err)
		return
	}
	if r.PostFormValue("op") == "token" {
		secret, tok, err := c.users.CreateToken(ctx, id, r.PostFormValue("token_name"), 0)
		if err == nil {
			err = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "token.create", Entity: "user", EntityID: id, After: tok})
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		// The secret is shown once, on this response, and never stored.
		c.showUsers(w, r, http.StatusOK, "", secret)
		return
	}
	disabled := r.PostFormValue("disabled") == "1"
	if id == a.ID && (disabled || !contains(r.PostForm["roles"], auth.RoleAdmin)) {
		c.showUsers(w, r, http.StatusBadRequest, translate(langOf(r), "users.self"), "")
		return
	}
	before, after, err := c.users.UpdateUser(ctx, id, r.PostForm["roles"], disabled)
	if err == nil {
		err = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "user.update", Entity: "user", EntityID: id, Before: before, After: after,
			Reason: strings.TrimSpace(r.PostFormValue("reason"))})
	}
	if err != nil {
		if dossier.ErrorCode(err) == "" {
			c.fail(w, r, err)
			return
		}
		c.showUsers(w, r, http.StatusBadRequest, err.Error(), "")
		return
	}
	http.Redirect(w, r, "/console/users?done=user_update", http.StatusSeeOther)
}

// usersPageSize is the number of accounts on one page of the Users page.
const usersPageSize = 50

// listPage reads ?page= for a list of n rows, size per page.
func listPage(r *http.Request, n, size int) (page, pages int) {
	pages = max(1, (n+size-1)/size)
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	return min(max(page, 1), pages), pages
}

// errMessage is a domain error's message without its code.
func errMessage(err error) string {
	var de *dossier.Error
	if errorsAs(err, &de) {
		return de.Message
	}
	return err.Error()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
