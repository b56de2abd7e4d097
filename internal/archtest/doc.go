// Package archtest holds hoso's architecture test (arch_test.go): the
// layering of the import graph, the one ack path, the one reader of the
// environment and SQL only in storage adapters, checked over `go list` and
// the syntax of every non-test file. docs/architecture.md describes the
// rules; the allowlists in the test name what the tree still breaks.
package archtest
