package web

import (
	"errors"

	"github.com/hoso-vn/hoso/internal/review"
)

// Actor is the official behind a request, as review actions take it.
type Actor = review.Actor

var errorsAs = errors.As
