-- +goose Up
-- Regulation index: legal documents split into articles (Điều), clauses
-- (khoản) and points (điểm), searched lexically and by vector, and the
-- citations computed for each requirement of a procedure.

CREATE TABLE regulation_documents (
    id             bigserial PRIMARY KEY,
    number         text NOT NULL,                -- normalised số hiệu, e.g. 123/2015/NĐ-CP
    title          text NOT NULL DEFAULT '',
    doc_type       text NOT NULL DEFAULT '',     -- Luật | Nghị định | Thông tư | …
    issuer         text NOT NULL DEFAULT '',
    issued_on      date,
    effective_from date,
    effective_to   date,                         -- hết hiệu lực; NULL while in force
    status         text NOT NULL DEFAULT '',     -- as the source registry states it
    replaced_by    text NOT NULL DEFAULT '',
    consolidation  text NOT NULL DEFAULT '',     -- VBHN number when the text is consolidated
    source_kind    text NOT NULL,                -- consolidated | original | ocr | excerpt
    source_path    text NOT NULL,
    source_sha256  text NOT NULL,                -- of the file; re-import of the same file is a no-op
    url            text NOT NULL DEFAULT '',
    articles       int NOT NULL DEFAULT 0,
    imported_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_sha256, number)              -- a Pháp điển file yields several documents
);
CREATE INDEX regulation_documents_number ON regulation_documents (number);

-- One chunk per clause (khoản, with its points), or per article when the
-- article has no numbered clauses. text is the unit's own NFC text, quoted
-- in citations; lex_nfc / lex_fold are the indexed words (article heading,
-- intro and text) as space-joined syllables, lower-case NFC and
-- accent-folded (vntext.Fold), so PostgreSQL's `simple` parser sees exactly
-- the tokens hoso computed in Go.
CREATE TABLE regulation_chunks (
    id            bigserial PRIMARY KEY,
    document_id   bigint NOT NULL REFERENCES regulation_documents(id) ON DELETE CASCADE,
    number        text NOT NULL,               -- copy of the document's number, for filtering
    chapter       text NOT NULL DEFAULT '',
    section       text NOT NULL DEFAULT '',
    article       int NOT NULL,
    article_label text NOT NULL,               -- "16" or "28a"
    article_title text NOT NULL DEFAULT '',
    clause        int,                         -- NULL: the whole article
    points        jsonb NOT NULL DEFAULT '[]'::jsonb, -- [{"label":"a","text":"a) …"}]
    text          text NOT NULL,
    lex_nfc       text NOT NULL,
    lex_fold      text NOT NULL,
    tsv_nfc       tsvector GENERATED ALWAYS AS (to_tsvector('simple', lex_nfc)) STORED,
    tsv_fold      tsvector GENERATED ALWAYS AS (to_tsvector('simple', lex_fold)) STORED
);
CREATE INDEX regulation_chunks_doc ON regulation_chunks (document_id, article, clause);
CREATE INDEX regulation_chunks_number ON regulation_chunks (number, article);
CREATE INDEX regulation_chunks_tsv_nfc ON regulation_chunks USING gin (tsv_nfc);
CREATE INDEX regulation_chunks_tsv_fold ON regulation_chunks USING gin (tsv_fold);

-- Document frequencies of syllables and syllable bigrams over all chunks
-- (folded = false: NFC lower case; true: accent-folded), recomputed after
-- every import. The lexical ranker weights each query term by its IDF,
-- which ts_rank alone does not do. The row term = '' holds the chunk count.
CREATE TABLE regulation_terms (
    folded boolean NOT NULL,
    term   text NOT NULL,
    df     int NOT NULL,
    PRIMARY KEY (folded, term)
);

-- Embeddings, one row per (model, chunk). The column is an untyped
-- `vector` so that embedders of any dimension share the table; an HNSW
-- index needs a fixed dimension, so each (model, dimension) gets its own
-- partial expression index on embedding::vector(dim) WHERE model = name.
-- Queries use the same expression and predicate so the planner picks it.
-- The index for the default local embedder (local-hashing-uni-bi-char3-v1,
-- 384 dimensions) is created here; regulation.Store creates the index of
-- any other embedder the first time it is used (`hoso regs reembed`).
--
-- HNSW parameters: m = 16 (links per node), ef_construction = 64 (build
-- candidate list): pgvector's defaults, measured in FACTS.md at recall@10
-- 0.96–0.99 on 100k × 384 vectors with an 18 s build. ef_search is set per
-- query (SET LOCAL hnsw.ef_search = 100 in regulation.Store.Search).
-- 384 × 4 bytes = 1.5 KB stays below the 2 KB TOAST threshold; STORAGE
-- PLAIN keeps larger vectors inline too (exact scans 5× faster, FACTS.md).
CREATE TABLE regulation_embeddings (
    model     text NOT NULL,     -- Embedder.Name()
    dim       int NOT NULL,      -- Embedder.Dimension()
    chunk_id  bigint NOT NULL REFERENCES regulation_chunks(id) ON DELETE CASCADE,
    embedding vector NOT NULL,
    PRIMARY KEY (model, chunk_id)
);
ALTER TABLE regulation_embeddings ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX regulation_embeddings_hnsw_local_hashing_384
    ON regulation_embeddings USING hnsw ((embedding::vector(384)) vector_cosine_ops)
    WITH (m = 16, ef_construction = 64)
    WHERE model = 'local-hashing-uni-bi-char3-v1';

-- Citations of each requirement of a procedure version, best first.
CREATE TABLE regulation_citations (
    procedure_code  text NOT NULL,               -- mã thủ tục
    procedure_version int NOT NULL DEFAULT 0,
    effective_from  date NOT NULL DEFAULT '0001-01-01',
    requirement_key text NOT NULL,
    rank            int NOT NULL,                -- 1 = best
    document        text NOT NULL,
    title           text NOT NULL DEFAULT '',
    article         int NOT NULL,
    clause          int,
    point           text,
    quote           text NOT NULL,               -- verified to occur in the cited unit
    score           double precision NOT NULL,
    source          text NOT NULL,               -- legal_basis | corpus
    model           text NOT NULL DEFAULT '',    -- embedder used for the vector half
    computed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (procedure_code, procedure_version, effective_from, requirement_key, rank)
);

-- +goose Down
DROP TABLE regulation_citations, regulation_embeddings, regulation_terms, regulation_chunks, regulation_documents;
