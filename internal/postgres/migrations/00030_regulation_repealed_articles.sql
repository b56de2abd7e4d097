-- +goose Up
-- Articles of a document that another text repealed while the rest of the
-- document stays in force (NĐ 123/2015/NĐ-CP Điều 45 repeals Điều 19–50 of
-- NĐ 126/2014/NĐ-CP, which the registry rightly lists as in force): article
-- number → the date the repeal took effect. Kept on the document, not the
-- chunks, so that the search's cheap change stamp over the document table
-- sees it (internal/regulation LinkRepeals).
ALTER TABLE regulation_documents ADD COLUMN repealed_articles jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE regulation_documents DROP COLUMN repealed_articles;
