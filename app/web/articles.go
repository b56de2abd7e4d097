package web

import (
	"github.com/jackc/pgx/v5/pgxpool"
)

// SQLArticles reads article texts from the regulation index tables
// (regulation_documents, regulation_chunks) that internal/regulation fills.
// It is the console's ArticleSource when Deps.Regulations is nil.
type SQLArticles struct{ Pool *pgxpool.Pool }
