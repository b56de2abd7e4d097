package classifier

//go:generate go test -run TestEmbeddedModel -update .
