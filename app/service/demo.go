package service

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/internal/vault"
)

// SampleDossier is one entry of data/dossiers/dossiers.yaml.
type SampleDossier struct {
	Name        string         `yaml:"name"`
	Procedure   string         `yaml:"procedure"`
	Applicant   string         `yaml:"applicant"`
	Agency      string         `yaml:"agency"`
	Description string         `yaml:"description"`
	Files       []string       `yaml:"files"`
	Metadata    map[string]any `yaml:"metadata"`
	// Vault lists records that a registry holds for the applicant before
	// the dossier is submitted (once-only reuse).
	Vault []struct {
		Type      string `yaml:"type"`
		Title     string `yaml:"title"`
		Issuer    string `yaml:"issuer"`
		Number    string `yaml:"number"`
		Source    string `yaml:"source"`
		SourceRef string `yaml:"source_ref"`
		// Whom the record is about (the child of a birth certificate):
		// once-only reuse is only for the same subject.
		SubjectName      string `yaml:"subject_name"`
		SubjectBirthDate string `yaml:"subject_birth_date"`
	} `yaml:"vault"`
	Expect struct {
		Present         []string `yaml:"present"`
		Missing         []string `yaml:"missing"`
		Reused          []string `yaml:"reused"`
		FailedDocuments []string `yaml:"failed_documents"`
	} `yaml:"expect"`
	Dir string `yaml:"-"`
}

// LoadSamples reads the sample dossiers manifest in dir.
func LoadSamples(dir string) ([]SampleDossier, error) {
	b, err := os.ReadFile(filepath.Join(dir, "dossiers.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read sample dossiers: %w", err)
	}
	var out []SampleDossier
	if err := yaml.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, "dossiers.yaml"), err)
	}
	for i := range out {
		out[i].Dir = dir
	}
	return out, nil
}

// SubmitSample submits one sample dossier with a stable idempotency key, so
// that running the demo again shows the same dossiers. The sample's vault
// records are registered first, as a registry would have.
func (s *Service) SubmitSample(ctx context.Context, sd SampleDossier, keyPrefix string) (submission.Result, error) {
	for _, v := range sd.Vault {
		_, _, err := vault.New(s.Pool).Register(ctx, vault.Record{OwnerID: sd.Applicant, Type: v.Type, Title: v.Title,
			Issuer: v.Issuer, Number: v.Number, Source: v.Source, SourceRef: v.SourceRef, VerifiedBy: v.Source,
			SubjectName: v.SubjectName, SubjectBirthDate: v.SubjectBirthDate})
		if err != nil {
			return submission.Result{}, fmt.Errorf("sample %s: register vault record: %w", sd.Name, err)
		}
	}
	req := submission.Request{ProcedureCode: sd.Procedure, ApplicantID: sd.Applicant, Agency: sd.Agency,
		IdempotencyKey: keyPrefix + sd.Name, Submitter: "demo", Metadata: map[string]any{"sample": sd.Name, "description": sd.Description}}
	for k, v := range sd.Metadata {
		req.Metadata[k] = v
	}
	for _, f := range sd.Files {
		data, err := os.ReadFile(filepath.Join(sd.Dir, f))
		if err != nil {
			return submission.Result{}, fmt.Errorf("sample %s: %w", sd.Name, err)
		}
		req.Files = append(req.Files, submission.File{Name: f, Data: data})
	}
	return s.Submission.Submit(ctx, req)
}

// WaitDone waits until no dossier is still received or processing (each is
// prechecked, failed, or already decided by an official), or ctx ends, and
// returns their reports. It waits on one count query (WaitSettled) and loads
// the reports once, at the end. progress, when set, gets one line per change.
func (s *Service) WaitDone(ctx context.Context, ids []string, progress io.Writer) ([]dossier.Report, error) {
	if err := s.waitSettled(ctx, ids, 100*time.Millisecond, progress); err != nil {
		return nil, err
	}
	reps := make([]dossier.Report, 0, len(ids))
	for _, id := range ids {
		r, err := report.Load(ctx, s.Pool, id)
		if err != nil {
			return nil, err
		}
		reps = append(reps, r)
	}
	return reps, nil
}

// WaitSettled waits until none of ids is received or processing, asking
// PostgreSQL one count query every interval (never loading reports).
func (s *Service) WaitSettled(ctx context.Context, ids []string, interval time.Duration) error {
	return s.waitSettled(ctx, ids, interval, nil)
}

func (s *Service) waitSettled(ctx context.Context, ids []string, interval time.Duration, progress io.Writer) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	last := -1
	for {
		pending, err := s.Store.CountUnsettled(ctx, ids)
		if err != nil {
			return fmt.Errorf("wait for dossiers: %w", err)
		}
		if progress != nil && pending != last {
			fmt.Fprintf(progress, "%d/%d dossiers settled\n", len(ids)-pending, len(ids))
		}
		last = pending
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d of %d dossiers: %w", pending, len(ids), ctx.Err())
		case <-t.C:
		}
	}
}
