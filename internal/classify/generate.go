package classify

//go:generate go test -run TestEmbeddedModel -update .
