// Package pipelines holds hoso's processing stages, one subpackage each, as
// plain Go with no NATS in them. A dossier goes, in this order (declared
// once in dossier.Stages):
//
//	intake → extract → classify → check → suggest
//
// then to an official (app/web, app/api) and, once approved, to the citizen.
// Every stage starts with Begin and ends with Done (stage.go); stageset
// wires them for the workers and for replay. The definition operators tune
// lives in internal/pipelinedef.
package pipelines
