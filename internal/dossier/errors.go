package dossier

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies a domain failure; callers read it with errors.As.
type Code string

const (
	CodeInvalid     Code = "invalid" // bad input; never retried
	CodeNotFound    Code = "not_found"
	CodeConflict    Code = "conflict"
	CodeForbidden   Code = "forbidden"
	CodeTooLarge    Code = "too_large"
	CodeUnsupported Code = "unsupported"
)

// Error is a domain error with a code and a message safe to show to users.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with code c.
func Errorf(c Code, format string, args ...any) error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or "" when err is not a domain error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// permanent marks an error that no retry can fix: the worker terminates the
// message and records a dead letter.
type permanent struct{ err error }

func (p permanent) Error() string   { return p.err.Error() }
func (p permanent) Unwrap() error   { return p.err }
func (p permanent) Permanent() bool { return true }

// Permanent wraps err so that it is not retried.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err (or an error it wraps) says Permanent().
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// retryAfter asks for a redelivery after a delay (for example an LLM 429 with
// Retry-After), as a JetStream delayed redelivery rather than a sleep.
type retryAfter struct {
	err error
	d   time.Duration
}

func (r retryAfter) Error() string             { return r.err.Error() }
func (r retryAfter) Unwrap() error             { return r.err }
func (r retryAfter) RetryAfter() time.Duration { return r.d }

// RetryAfter wraps err with a requested redelivery delay.
func RetryAfter(err error, d time.Duration) error { return retryAfter{err, d} }

// RetryDelay returns the delay that err asks for, if any.
func RetryDelay(err error) (time.Duration, bool) {
	var r interface{ RetryAfter() time.Duration }
	if errors.As(err, &r) {
		return r.RetryAfter(), true
	}
	return 0, false
}
