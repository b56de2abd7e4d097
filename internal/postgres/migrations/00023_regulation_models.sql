-- +goose Up
-- Embedders trained on the regulation corpus itself (PPMI-SVD word
-- vectors, issue #17): trained at import/reembed time and kept here, so
-- that queries are embedded with the very model the stored vectors came
-- from. The name carries a digest of the model; a new training is a new
-- name, and its vectors a new index beside the old.
CREATE TABLE regulation_models (
    name       text PRIMARY KEY,             -- e.g. local-ppmi-svd-128-1a2b3c4d5e-v1
    family     text NOT NULL,                -- local-ppmi-svd
    model      bytea NOT NULL,               -- embedding.PPMI.MarshalBinary
    chunks     int NOT NULL,                 -- chunks it was trained on
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE regulation_models;
