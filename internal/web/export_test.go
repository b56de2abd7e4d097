package web

// MessageKeys exposes the translations to the tests.
func MessageKeys() map[string][2]string { return messages }
