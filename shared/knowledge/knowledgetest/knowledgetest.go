// Package knowledgetest holds an in-memory knowledge.Store with no
// latency, for service tests and benchmarks that need no DynamoDB. It
// counts its requests as the DynamoDB store sends them (a batch of up to
// 100 a request, a query page per 1,000 postings, 25 writes a batch), and
// reads the candidates' authors with the candidates when Verified is set,
// as the DynamoDB store does with its author gets.
package knowledgetest

import (
	"context"
	"sync"

	"ohcs/shared/knowledge"
	"ohcs/shared/problem"
)

// Store is an in-memory knowledge.Store. Safe for concurrent use.
type Store struct {
	// Verified, when set, tells whether an author is a verified
	// practitioner now; Latests then answers for the authors it is asked.
	Verified func(authorID string) bool

	mu       sync.Mutex
	latest   map[string]knowledge.Article
	postings map[string]map[string]knowledge.Posting
	stats    map[string][2]int64
	requests int
}

var _ knowledge.Store = (*Store)(nil)

// Requests returns how many requests the store has answered, and starts
// counting again from zero.
func (m *Store) Requests() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.requests
	m.requests = 0
	return n
}

// lock takes the store and counts n requests; the caller unlocks.
func (m *Store) lock(n int) {
	m.mu.Lock()
	if m.latest == nil {
		m.latest, m.postings, m.stats = map[string]knowledge.Article{}, map[string]map[string]knowledge.Posting{}, map[string][2]int64{}
	}
	m.requests += n
}

// Create stores a new article.
func (m *Store) Create(_ context.Context, a knowledge.Article) error {
	m.lock(1)
	defer m.mu.Unlock()
	m.latest[a.ID] = a
	return nil
}

// Update stores a new version if old is the latest; PreconditionFailed.
func (m *Store) Update(_ context.Context, old, a knowledge.Article) error {
	m.lock(1)
	defer m.mu.Unlock()
	if m.latest[a.ID].Version != old.Version {
		return problem.New(problem.PreconditionFailed, "the article changed since version %d", old.Version)
	}
	m.latest[a.ID] = a
	return nil
}

// Latest returns an article's latest version; NotFound.
func (m *Store) Latest(_ context.Context, id string) (knowledge.Article, error) {
	m.lock(1)
	defer m.mu.Unlock()
	a, ok := m.latest[id]
	if !ok {
		return a, problem.New(problem.NotFound, "no article %s", id)
	}
	return a, nil
}

// Version returns the latest version: the store keeps no others.
func (m *Store) Version(ctx context.Context, id string, _ int64) (knowledge.Article, error) {
	return m.Latest(ctx, id)
}

// Latests returns the latest versions of ids, and whether each of authors
// is verified when Verified is set, in one request per 100 items.
func (m *Store) Latests(_ context.Context, ids, authors []string) (map[string]knowledge.Article, map[string]bool, error) {
	read := len(ids)
	if m.Verified != nil {
		read += len(authors)
	}
	m.lock((read + 99) / 100)
	defer m.mu.Unlock()
	out := map[string]knowledge.Article{}
	for _, id := range ids {
		if a, ok := m.latest[id]; ok {
			out[id] = a
		}
	}
	if m.Verified == nil {
		return out, nil, nil
	}
	verified := map[string]bool{}
	for _, id := range authors {
		verified[id] = m.Verified(id)
	}
	return out, verified, nil
}

// Index writes the postings of a and deletes those of the stale terms.
func (m *Store) Index(_ context.Context, a knowledge.Article, ps map[string]knowledge.Posting, stale []string) error {
	m.lock((len(ps) + len(stale) + 24) / 25)
	defer m.mu.Unlock()
	for t, p := range ps {
		if m.postings[t] == nil {
			m.postings[t] = map[string]knowledge.Posting{}
		}
		m.postings[t][a.ID] = p
	}
	for _, t := range stale {
		delete(m.postings[t], a.ID)
	}
	return nil
}

// Postings returns a term's postings, a request per 1,000 (a query page
// holds about 1 MB).
func (m *Store) Postings(_ context.Context, term string) ([]knowledge.Posting, error) {
	m.lock(0)
	defer m.mu.Unlock()
	ps := m.postings[term]
	m.requests += 1 + len(ps)/1000
	out := make([]knowledge.Posting, 0, len(ps))
	for _, p := range ps {
		out = append(out, p)
	}
	return out, nil
}

// Stats sums the statistics of the partitions langs.
func (m *Store) Stats(_ context.Context, langs []string) (int64, int64, error) {
	m.lock(1)
	defer m.mu.Unlock()
	var d, l int64
	for _, lang := range langs {
		d, l = d+m.stats[lang][0], l+m.stats[lang][1]
	}
	return d, l, nil
}

// AddStats adds to a partition's statistics.
func (m *Store) AddStats(_ context.Context, lang string, d, l int64) error {
	m.lock(1)
	defer m.mu.Unlock()
	s := m.stats[lang]
	m.stats[lang] = [2]int64{s[0] + d, s[1] + l}
	return nil
}
