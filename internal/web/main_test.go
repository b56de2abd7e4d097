package web_test

import (
	"os"
	"testing"

	"github.com/hoso-vn/hoso/internal/extract"
)

func TestMain(m *testing.M) {
	extract.MaybeRunSandbox() // pdfinfo and pdftoppm run under rlimits through this binary
	os.Exit(m.Run())
}
