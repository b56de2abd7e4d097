package agency_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestDataFileMatchesTheSeed: data/agencies/agencies.csv parses and the
// migration seeds exactly its rows, so a fresh database knows the demo's
// agencies and importing the file changes nothing.
func TestDataFileMatchesTheSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, err := os.Open("../../data/agencies/agencies.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := agency.ParseCSV(f)
	if err != nil || len(list) < 5 {
		t.Fatalf("parse: %d agencies, %v", len(list), err)
	}
	pool, _ := postgrestest.New(t)
	st := agency.NewStore(pool)
	n, err := st.Import(ctx, list)
	if err != nil || n != 0 {
		t.Fatalf("import of the seeded file changed %d rows (%v), want 0", n, err)
	}
	all, err := st.List(ctx)
	if err != nil || len(all) != len(list) {
		t.Fatalf("stored %d agencies, file has %d (%v)", len(all), len(list), err)
	}
	for _, code := range []string{"ubnd-phuong-ba-dinh", "cong-an-phuong-cau-giay", "ubnd-phuong-hoan-kiem", "ubnd-phuong-long-bien", "quan-tri-he-thong"} {
		if _, err := st.Active(ctx, code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}

func TestActiveRefusesUnknownAndInactive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := agency.NewStore(pool)
	_, err := st.Active(ctx, "ubnd-phuong-demo")
	if dossier.ErrorCode(err) != dossier.CodeInvalid || !strings.Contains(err.Error(), "ubnd-phuong-ba-dinh") || !strings.Contains(err.Error(), "không tồn tại") {
		t.Errorf("unknown agency: %v", err)
	}
	if _, _, err := st.Put(ctx, agency.Agency{Code: "ubnd-xa-cu", Name: "UBND xã Cũ"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Active(ctx, "ubnd-xa-cu"); dossier.ErrorCode(err) != dossier.CodeInvalid || !strings.Contains(err.Error(), "ngừng hoạt động") {
		t.Errorf("inactive agency: %v", err)
	}
}

func TestParseCSVErrors(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"NoCodeColumn": "name\nA\n",
		"BadCode":      "code,name\nUBND Phường,UBND phường\n",
		"NoName":       "code,name\nubnd-a,\n",
		"BadActive":    "code,name,active\nubnd-a,A,maybe\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := agency.ParseCSV(strings.NewReader(in)); dossier.ErrorCode(err) != dossier.CodeInvalid {
				t.Errorf("err = %v, want invalid", err)
			}
		})
	}
	list, err := agency.ParseCSV(strings.NewReader("\ufeffcode,name,province\nubnd-a,  UBND  A ,Tỉnh B\n"))
	if err != nil || len(list) != 1 || list[0].Name != "UBND  A" || !list[0].Active {
		t.Errorf("BOM, spaces, default active: %+v %v", list, err)
	}
}
