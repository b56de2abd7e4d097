package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// SQLArticles reads article texts from the regulation index tables
// (regulation_documents, regulation_chunks) that internal/regulation fills.
// It is the console's ArticleSource when Deps.Regulations is nil.
type SQLArticles struct{ Pool *pgxpool.Pool }

// Article joins an article's chunks (its intro and clauses) in order. Of
// several stored texts of one document number, the consolidated one wins,
// then the most recently imported.
func (s SQLArticles) Article(ctx context.Context, document string, number int) (Article, error) {
	rows, err := s.Pool.Query(ctx, `WITH doc AS (
			SELECT id, number, title FROM regulation_documents WHERE number = $1
			ORDER BY (source_kind = 'consolidated') DESC, imported_at DESC, id DESC LIMIT 1)
		SELECT doc.number, doc.title, c.article_title, c.text
		FROM doc JOIN regulation_chunks c ON c.document_id = doc.id
		WHERE c.article = $2 ORDER BY c.clause NULLS FIRST, c.id`, document, number)
	if err != nil {
		return Article{}, fmt.Errorf("read article %d of %s: %w", number, document, err)
	}
	defer rows.Close()
	a := Article{Document: document, Number: number}
	var parts []string
	for rows.Next() {
		var text string
		if err := rows.Scan(&a.Document, &a.DocTitle, &a.Title, &text); err != nil {
			return a, err
		}
		parts = append(parts, text)
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	if len(parts) == 0 {
		return a, dossier.Errorf(dossier.CodeNotFound, "không có Điều %d của %s (article not found)", number, document)
	}
	a.Text = strings.Join(parts, "\n")
	return a, nil
}
