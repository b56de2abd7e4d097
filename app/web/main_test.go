package web_test

import (
	"os"
	"testing"

	"github.com/hoso-vn/hoso/internal/doctext"
)

func TestMain(m *testing.M) {
	doctext.MaybeRunSandbox() // pdfinfo and pdftoppm run under rlimits through this binary
	os.Exit(m.Run())
}
