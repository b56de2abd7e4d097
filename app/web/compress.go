package web

import (
	"net/http"
	"runtime/debug"

	"github.com/klauspost/compress/gzhttp"
)

// Compress gzips HTML and JSON responses for clients that accept it (a
// building-permit dossier page is hundreds of kilobytes of text); files,
// rendered pages and event streams pass through as they are.
func Compress(h http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024),
		gzhttp.ContentTypes([]string{"text/html", "application/json", "application/problem+json", "text/css", "application/yaml"}))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap(h)
}

// notFound answers an unknown address with the console's styled page.
func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.renderError(w, r, http.StatusNotFound, "err.404.text")
}

// recoverPanic turns a handler's panic into the styled 500 page (and a log
// line with the stack), instead of a dropped connection.
func (c *Console) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				c.log.Error("console: panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				c.renderError(w, r, http.StatusInternalServerError, "err.500.text")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
