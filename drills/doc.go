// Package drills holds hoso's reliability and security drills as Go tests:
// worker processes killed with SIGKILL mid-run, a JetStream leader killed
// in a 3-node cluster, PostgreSQL connections terminated and the database
// paused, an LLM-rate-limited burst, duplicate submissions, and the
// security drills (authorisation matrix, sessions, audit chain, personal
// ID numbers in logs and model requests).
//
// `make drill` runs them at full size; `make test` (-short) runs scaled-down
// versions. Each drill prints one "DRILL …" line with its figures; see
// docs/reliability.md for the figures measured and how to reproduce them.
package drills
