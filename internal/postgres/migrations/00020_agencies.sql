-- +goose Up
-- Agencies as data: dossiers, officials and HOSO_DEFAULT_AGENCY carry an
-- agency code; this table gives each code its Vietnamese name and parent
-- province, and whether it still receives dossiers. Codes are not foreign
-- keys of dossiers and users: rows written before this table existed may
-- carry codes it lacks, and they stay readable (shown by their code).
-- The demo agencies (data/agencies/agencies.csv) are seeded here so that a
-- fresh database can validate HOSO_DEFAULT_AGENCY before any import.
CREATE TABLE agencies (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text NOT NULL CHECK (name <> ''),   -- Vietnamese, NFC
    province   text NOT NULL DEFAULT '',           -- parent province or city
    active     boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO agencies (code, name, province) VALUES
    ('quan-tri-he-thong', 'Quản trị hệ thống hoso', 'Thành phố Hà Nội'),
    ('ubnd-phuong-ba-dinh', 'UBND phường Ba Đình', 'Thành phố Hà Nội'),
    ('ubnd-phuong-hoan-kiem', 'UBND phường Hoàn Kiếm', 'Thành phố Hà Nội'),
    ('ubnd-phuong-long-bien', 'UBND phường Long Biên', 'Thành phố Hà Nội'),
    ('cong-an-phuong-cau-giay', 'Công an phường Cầu Giấy', 'Thành phố Hà Nội')
ON CONFLICT (code) DO NOTHING;

-- +goose Down
DROP TABLE agencies;
