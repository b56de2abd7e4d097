// Package agency provides the receiving agencies as data: the code that
// dossiers, officials and HOSO_DEFAULT_AGENCY carry, with its Vietnamese
// name, parent province and whether it is active. The table is seeded with
// the demo agencies (migration 00020), imported from a CSV file
// (data/agencies/agencies.csv) and edited by administrators in the console.
package agency

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Agency is one receiving agency.
type Agency struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Province  string    `json:"province"`
	Active    bool      `json:"active"`
	UpdatedAt time.Time `json:"updated_at"`
}

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// Normalize trims and NFC-normalises the names and checks the code.
func (a Agency) Normalize() (Agency, error) {
	a.Code = strings.TrimSpace(a.Code)
	a.Name = norm.NFC.String(strings.TrimSpace(a.Name))
	a.Province = norm.NFC.String(strings.TrimSpace(a.Province))
	if !codeRE.MatchString(a.Code) {
		return a, dossier.Errorf(dossier.CodeInvalid,
			"mã cơ quan %q không hợp lệ: chữ thường không dấu, số và gạch ngang, ví dụ ubnd-phuong-ba-dinh (invalid agency code)", a.Code)
	}
	if a.Name == "" {
		return a, dossier.Errorf(dossier.CodeInvalid, "thiếu tên cơ quan %q (agency name required)", a.Code)
	}
	return a, nil
}

// ParseCSV reads agencies from CSV with the header code,name,province,active
// (province and active optional; active defaults to true).
func ParseCSV(r io.Reader) ([]Agency, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, dossier.Errorf(dossier.CodeInvalid, "tệp cơ quan không đọc được (unreadable agency file): %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["code"]; !ok {
		return nil, dossier.Errorf(dossier.CodeInvalid, "tệp cơ quan thiếu cột code (agency file lacks the code column)")
	}
	if _, ok := col["name"]; !ok {
		return nil, dossier.Errorf(dossier.CodeInvalid, "tệp cơ quan thiếu cột name (agency file lacks the name column)")
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []Agency
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, dossier.Errorf(dossier.CodeInvalid, "tệp cơ quan, dòng %d (agency file, line %d): %v", line, line, err)
		}
		a := Agency{Code: get(rec, "code"), Name: get(rec, "name"), Province: get(rec, "province"), Active: true}
		if s := strings.TrimSpace(get(rec, "active")); s != "" {
			if a.Active, err = strconv.ParseBool(s); err != nil {
				return nil, dossier.Errorf(dossier.CodeInvalid, "tệp cơ quan, dòng %d: active phải là true/false (agency file, line %d: active must be true or false)", line, line)
			}
		}
		if a, err = a.Normalize(); err != nil {
			return nil, fmt.Errorf("dòng %d (line %d): %w", line, line, err)
		}
		out = append(out, a)
	}
}
