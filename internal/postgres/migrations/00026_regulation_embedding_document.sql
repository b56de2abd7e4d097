-- +goose Up
-- A vector search filters on the chunk's document (in force on the query's
-- date, or one of the cited numbers). With the document only on
-- regulation_chunks, every row the HNSW scan returned was joined to its
-- chunk row (a wide row with the text) before the filter could reject it:
-- most of the filtered query's time at 20k–100k chunks (issue #17). The
-- embedding row carries its document, so the filter reads only the rows
-- the index scan already fetched. A chunk never changes document.
ALTER TABLE regulation_embeddings ADD COLUMN document_id bigint;
UPDATE regulation_embeddings e SET document_id = c.document_id FROM regulation_chunks c WHERE c.id = e.chunk_id;
ALTER TABLE regulation_embeddings ALTER COLUMN document_id SET NOT NULL;

-- +goose Down
ALTER TABLE regulation_embeddings DROP COLUMN document_id;
