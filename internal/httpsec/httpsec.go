// Package httpsec provides the security headers that every HTTP response of
// hoso carries, the officials' console (app/web) and the JSON API
// (app/api) alike: both hold citizens' personal data, so neither may
// be sniffed, framed by another site or kept in a cache.
package httpsec

import "net/http"

// CSP is the Content-Security-Policy: the console loads nothing from
// elsewhere and runs no inline script; JSON needs even less.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; object-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

// Headers sets the security headers and "Cache-Control: no-store" on every
// response of next. A handler that serves public, cacheable content (the
// console's static files) overrides Cache-Control itself.
func Headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
