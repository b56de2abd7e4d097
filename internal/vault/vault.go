// Package vault provides the citizens' document vault (once-only): verified
// records of documents that officials accepted, or that registries supplied,
// which satisfy later procedures' requirements without asking again.
package vault

import "github.com/hoso-vn/hoso/internal/dossier"

// Match is a valid vault record that satisfies a requirement.
type Match struct {
	RecordID string
	// Evidence says, in Vietnamese, which record satisfies the requirement.
	Evidence string
	// Citation is the legal basis for not asking again: the procedure's
	// electronic-substitute clause or Decree 45/2020's rule.
	Citation dossier.Citation
	// Record is the record itself (its fields pre-fill drafts).
	Record Record
}
