// Package knowledge owns the medical knowledge practitioners share:
// versioned Markdown articles and their relevance-ranked search (BM25 over
// an inverted index kept in DynamoDB: a query reads only the postings of its
// terms). Its Store is knowledgedb, its handlers knowledgehttp.
package knowledge

import (
	"context"
	"time"
)

// Article is one version of an article.
type Article struct {
	ID             string
	Title          string
	Summary        string
	Body           string
	Language       string
	Tags           []string
	ConditionCodes []Code
	Audience       string // public or practitioners
	AuthorID       string
	AuthorSub      string
	Status         string // published or retracted
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
	// Terms are the index terms of this version (kept with the latest, so
	// the next version can remove what it no longer has).
	Terms []string
}

// Code is a coded condition.
type Code struct{ System, Code string }

// Key is the condition code's filter form, system|code.
func (c Code) Key() string { return c.System + "|" + c.Code }

// Posting is an article's entry under one term.
type Posting struct {
	ArticleID  string
	Version    int64
	TitleTF    int
	SummaryTF  int
	BodyTF     int
	Length     int // weighted length of the article
	Audience   string
	Language   string
	Tags       []string
	Conditions []string
	// AuthorID is the article's author (an article keeps its author), so
	// that a search reads whether the authors are verified with the
	// articles, not after them. Empty in postings indexed before it.
	AuthorID string
}

// Store keeps articles and the index.
type Store interface {
	// Create stores a new article.
	Create(ctx context.Context, a Article) error
	// Update stores a new version; PreconditionFailed when old is no
	// longer the latest.
	Update(ctx context.Context, old, updated Article) error
	// Latest returns an article's latest version; NotFound.
	Latest(ctx context.Context, id string) (Article, error)
	// Version returns one version; NotFound.
	Version(ctx context.Context, id string, version int64) (Article, error)
	// Latests returns the latest versions of ids that exist and, when the
	// store reads them in the same request, whether each of authors is a
	// verified practitioner now (an author it did not read is absent from
	// the map).
	Latests(ctx context.Context, ids, authors []string) (map[string]Article, map[string]bool, error)
	// Index writes the postings of a and deletes those of the terms in
	// stale.
	Index(ctx context.Context, a Article, postings map[string]Posting, stale []string) error
	// Postings returns the postings of a term, of every language (the
	// index is one across languages; a posting names its language), from
	// one query page: a term in more articles than a page holds is cut
	// there (such a term weighs nearly nothing).
	Postings(ctx context.Context, term string) ([]Posting, error)
	// Stats returns the number of indexed articles of a partition and
	// their total length.
	Stats(ctx context.Context, langs []string) (docs, length int64, err error)
	// AddStats adds to a partition's statistics.
	AddStats(ctx context.Context, lang string, docs, length int64) error
}
