package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestDisplayNames: a file name with a right-to-left override
// ("hoa-don-\u202efdp.exe", which a browser draws as "hoa-don-exe.pdf") and
// zero-width characters is shown without them on the console page, in the
// download's file name and in the API's display_name, while the record and
// the API's filename keep the name as submitted (issue #16, item 11).
func TestDisplayNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	const original = "hoa-don-\u202efdp\u200b.exe"
	const shown = "hoa-don-fdp.exe"
	exec(t, e.pool, `UPDATE documents SET filename = $1 WHERE id = $2`, original, dossierA+"-d1")

	b := e.browser(t)
	b.signIn("an.nguyen")
	code, body := b.get("/console/dossiers/" + dossierA)
	if code != http.StatusOK {
		t.Fatalf("dossier page: %d", code)
	}
	if strings.ContainsAny(body, "\u202e\u200b") {
		t.Error("the console page shows the bidirectional or zero-width control")
	}
	if !strings.Contains(body, shown) {
		t.Errorf("the console page does not show %q", shown)
	}

	resp, err := b.c.Get(b.base + "/console/documents/" + dossierA + "-d1/file")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, shown) {
		t.Errorf("download name %q, want %q in it", cd, shown)
	}

	srv := e.mountAPI(t)
	token, _, err := e.console.Users().CreateToken(ctx, "an.nguyen", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/dossiers/"+dossierA, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct {
		Documents []struct {
			ID          string `json:"id"`
			Filename    string `json:"filename"`
			DisplayName string `json:"display_name"`
		} `json:"documents"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("API report: %d %v", resp.StatusCode, err)
	}
	found := false
	for _, d := range rep.Documents {
		if d.ID == dossierA+"-d1" {
			found = true
			if d.Filename != original || d.DisplayName != shown {
				t.Errorf("API filename %q display_name %q, want %q and %q", d.Filename, d.DisplayName, original, shown)
			}
		}
	}
	if !found {
		t.Fatal("document missing from the API report")
	}

	var stored string
	if err := e.pool.QueryRow(ctx, `SELECT filename FROM documents WHERE id = $1`, dossierA+"-d1").Scan(&stored); err != nil || stored != original {
		t.Fatalf("record changed: %q %v", stored, err)
	}
}
