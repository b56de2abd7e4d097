package systemtest

// The test kit's reads of the database: a test's own count queries run here.

import (
	"context"
)

// Count runs a count query.
func (s *System) Count(q string, args ...any) int {
	s.T.Helper()
	var n int
	if err := s.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		s.T.Fatal(err)
	}
	return n
}
