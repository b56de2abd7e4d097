package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/store"
)

func init() { register(newBackupCmd); register(newRestoreCmd) }

// What a backup holds, and why only that: PostgreSQL is the record (dossiers,
// documents, findings, suggestions, stage inbox, dead letters, audit chain),
// and the reconciler re-publishes every unfinished dossier from it, so the
// work stream needs no snapshot. The submitted files live only in the NATS
// object store <prefix>_FILES, so they are copied object by object.
const (
	backupDB       = "database.dump"
	backupFiles    = "files"
	backupManifest = "manifest.json"
)

// backupManifestV1 describes one backup directory.
type backupManifestV1 struct {
	Version   int            `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	Schema    string         `json:"schema,omitempty"` // dumped schema; empty: the whole database
	Prefix    string         `json:"prefix"`
	Dossiers  int            `json:"dossiers"`
	Objects   []backupObject `json:"objects"`
}

type backupObject struct {
	Key    string `json:"key"`
	Path   string `json:"path"` // under files/
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

func newBackupCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "backup <thư-mục>",
		Short: "Sao lưu cơ sở dữ liệu và các tệp đã nộp (back up the database and submitted files)",
		Long: `Sao lưu PostgreSQL bằng pg_dump (định dạng custom; chỉ schema trong search_path của
DATABASE_URL nếu có) và sao chép mọi tệp trong kho đối tượng NATS <prefix>_FILES vào
<thư-mục>, kèm manifest.json có sha256 từng tệp. Luồng công việc JetStream không cần
sao lưu: PostgreSQL là bản ghi gốc và bộ đối soát phát lại hồ sơ chưa xong.

Backs up PostgreSQL with pg_dump (custom format; only the search_path schema of
DATABASE_URL when it names one) and copies every object of the NATS object store
<prefix>_FILES into <dir>, with a manifest.json of sha256 sums. The JetStream work
stream needs no snapshot: PostgreSQL is the record and the reconciler re-publishes
unfinished dossiers. See docs/reliability.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			return backup(ctx, e, cfg, args[0])
		},
	}
}

func newRestoreCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "restore <thư-mục>",
		Short: "Khôi phục từ bản sao lưu của hoso backup (restore a hoso backup)",
		Long: `Khôi phục cơ sở dữ liệu (pg_restore vào DATABASE_URL; cơ sở dữ liệu được tạo nếu chưa có,
nên khôi phục vào một cơ sở dữ liệu mới) và đưa lại các tệp vào kho đối tượng NATS,
kiểm tra sha256. Hồ sơ chưa xử lý xong sẽ được bộ đối soát phát lại khi worker chạy.

Restores the database (pg_restore into DATABASE_URL, created when missing; restore
into a fresh database) and puts the files back into the NATS object store,
checking their sha256. Unfinished dossiers are re-published by the reconciler once
workers run.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			return restore(ctx, e, cfg, args[0])
		},
	}
}

func backup(ctx context.Context, e *env, cfg config.Config, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, backupFiles), 0o750); err != nil {
		return err
	}
	libpq, schema, err := libpqURL(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--file=" + filepath.Join(dir, backupDB)}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	if err := pgTool(ctx, "pg_dump", append(args, libpq)...); err != nil {
		return err
	}
	pool, err := e.db(ctx)
	if err != nil {
		return err
	}
	m := backupManifestV1{Version: 1, CreatedAt: time.Now().UTC(), Schema: schema, Prefix: cfg.StreamPrefix}
	if m.Dossiers, err = store.New(pool).CountDossiers(ctx); err != nil {
		return err
	}
	obj, closeNATS, err := objectStore(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer closeNATS()
	list, err := obj.List(ctx)
	if err != nil && !errors.Is(err, jetstream.ErrNoObjectsFound) {
		return fmt.Errorf("list %s: %w", broker.Names{Prefix: cfg.StreamPrefix}.Bucket(), err)
	}
	for i, info := range list {
		if info.Deleted {
			continue
		}
		data, err := obj.GetBytes(ctx, info.Name)
		if err != nil {
			return fmt.Errorf("read object %s: %w", info.Name, err)
		}
		sum := sha256.Sum256(data)
		rel := fmt.Sprintf("%06d", i)
		if err := os.WriteFile(filepath.Join(dir, backupFiles, rel), data, 0o640); err != nil {
			return err
		}
		m.Objects = append(m.Objects, backupObject{Key: info.Name, Path: rel, Size: len(data), SHA256: hex.EncodeToString(sum[:])})
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, backupManifest), b, 0o640); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã sao lưu %d hồ sơ và %d tệp vào %s (backed up %d dossiers and %d files)\n",
		m.Dossiers, len(m.Objects), dir, m.Dossiers, len(m.Objects))
	return nil
}

func restore(ctx context.Context, e *env, cfg config.Config, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, backupManifest))
	if err != nil {
		return fmt.Errorf("đọc manifest (read manifest): %w", err)
	}
	var m backupManifestV1
	if err := json.Unmarshal(b, &m); err != nil || m.Version != 1 {
		return fmt.Errorf("manifest %s không hợp lệ (invalid manifest): %v", filepath.Join(dir, backupManifest), err)
	}
	if err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	libpq, _, err := libpqURL(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	// pgvector lives in public, outside a schema dump.
	if err := pgTool(ctx, "psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE EXTENSION IF NOT EXISTS vector", libpq); err != nil {
		return err
	}
	if err := pgTool(ctx, "pg_restore", "--no-owner", "--exit-on-error", "--dbname="+libpq, filepath.Join(dir, backupDB)); err != nil {
		return err
	}
	pool, err := e.db(ctx) // also applies migrations newer than the backup
	if err != nil {
		return err
	}
	n, err := store.New(pool).CountDossiers(ctx)
	if err != nil {
		return fmt.Errorf("count restored dossiers (is DATABASE_URL's search_path the backed-up schema %q?): %w", m.Schema, err)
	}
	obj, closeNATS, err := objectStore(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer closeNATS()
	for _, o := range m.Objects {
		data, err := os.ReadFile(filepath.Join(dir, backupFiles, o.Path))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != o.SHA256 {
			return fmt.Errorf("tệp %s bị hỏng trong bản sao lưu (file corrupt in backup: sha256 mismatch)", o.Key)
		}
		if _, err := obj.PutBytes(ctx, o.Key, data); err != nil {
			return fmt.Errorf("restore object %s: %w", o.Key, err)
		}
	}
	fmt.Fprintf(e.stdout, "Đã khôi phục %d hồ sơ và %d tệp (restored %d dossiers and %d files)\n", n, len(m.Objects), n, len(m.Objects))
	return nil
}

// objectStore connects to NATS (NATS_URL, or the embedded server that
// `hoso serve` runs on HOSO_DATA_DIR) and returns the files bucket.
func objectStore(ctx context.Context, e *env, cfg config.Config) (jetstream.ObjectStore, func(), error) {
	o := broker.Options{URL: cfg.NATSURL, Prefix: cfg.StreamPrefix, Replicas: cfg.NATSReplicas, Name: "hoso-backup", Log: e.logger()}
	stop := func() {}
	if o.URL == "" {
		dir := filepath.Join(cfg.DataDir, "nats")
		if b, err := os.ReadFile(filepath.Join(dir, "url")); err == nil {
			o.URL = strings.TrimSpace(string(b))
		} else {
			srv, err := broker.StartEmbedded(broker.EmbeddedOptions{Dir: dir, SyncInterval: time.Second})
			if err != nil {
				return nil, nil, err
			}
			o.Embedded = srv
			stop = func() { srv.Shutdown(); srv.WaitForShutdown() }
		}
	}
	b, err := broker.Connect(ctx, o)
	if err != nil {
		stop()
		return nil, nil, err
	}
	obj, err := b.JS.ObjectStore(ctx, b.Names.Bucket())
	if err != nil {
		b.Close()
		stop()
		return nil, nil, fmt.Errorf("open object store %s: %w", b.Names.Bucket(), err)
	}
	return obj, func() { b.Close(); stop() }, nil
}

// libpqURL drops the pgx-only search_path parameter (libpq tools reject it)
// and returns its first schema.
func libpqURL(raw string) (string, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	q := u.Query()
	schema := strings.TrimSpace(strings.Split(q.Get("search_path"), ",")[0])
	if schema == "public" {
		schema = ""
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

func pgTool(ctx context.Context, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("%s không có trên máy; cài postgresql-client (%s not found: apt-get install postgresql-client-15)", name, name)
	}
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}
