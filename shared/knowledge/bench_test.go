package knowledge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ohcs/shared/knowledge"
	"ohcs/shared/problem"
)

// memStore is a zero-latency in-memory Store that counts its requests, to
// measure the search's own cost and how many store requests (DynamoDB
// requests in production) one query makes.
type memStore struct {
	mu       sync.Mutex
	latest   map[string]knowledge.Article
	postings map[string]map[string]knowledge.Posting
	stats    map[string][2]int64
	requests int
}

func newMem() *memStore {
	return &memStore{latest: map[string]knowledge.Article{}, postings: map[string]map[string]knowledge.Posting{}, stats: map[string][2]int64{}}
}

func (m *memStore) count() { m.mu.Lock(); m.requests++; m.mu.Unlock() }

func (m *memStore) Create(_ context.Context, a knowledge.Article) error {
	m.count()
	m.latest[a.ID] = a
	return nil
}

func (m *memStore) Update(_ context.Context, old, a knowledge.Article) error {
	m.count()
	if m.latest[a.ID].Version != old.Version {
		return problem.New(problem.PreconditionFailed, "stale")
	}
	m.latest[a.ID] = a
	return nil
}

func (m *memStore) Latest(_ context.Context, id string) (knowledge.Article, error) {
	m.count()
	a, ok := m.latest[id]
	if !ok {
		return a, problem.New(problem.NotFound, "no article")
	}
	return a, nil
}

func (m *memStore) Version(ctx context.Context, id string, _ int64) (knowledge.Article, error) {
	return m.Latest(ctx, id)
}

func (m *memStore) Latests(_ context.Context, ids, _ []string) (map[string]knowledge.Article, map[string]bool, error) {
	m.requests += (len(ids) + 99) / 100
	out := map[string]knowledge.Article{}
	for _, id := range ids {
		if a, ok := m.latest[id]; ok {
			out[id] = a
		}
	}
	return out, nil, nil
}

func (m *memStore) Index(_ context.Context, a knowledge.Article, ps map[string]knowledge.Posting, stale []string) error {
	lang := knowledge.IndexLanguage(a.Language)
	m.requests += (len(ps) + len(stale) + 24) / 25
	_ = lang
	for t, p := range ps {
		k := t
		if m.postings[k] == nil {
			m.postings[k] = map[string]knowledge.Posting{}
		}
		m.postings[k][a.ID] = p
	}
	for _, t := range stale {
		delete(m.postings[t], a.ID)
	}
	return nil
}

func (m *memStore) Postings(_ context.Context, term string) ([]knowledge.Posting, error) {
	ps := m.postings[term]
	m.requests += 1 + len(ps)/1000 // a query page holds about 1 MB
	out := make([]knowledge.Posting, 0, len(ps))
	for _, p := range ps {
		out = append(out, p)
	}
	return out, nil
}

func (m *memStore) Stats(_ context.Context, langs []string) (int64, int64, error) {
	m.count()
	var d, l int64
	for _, lang := range langs {
		d, l = d+m.stats[lang][0], l+m.stats[lang][1]
	}
	return d, l, nil
}

func (m *memStore) AddStats(_ context.Context, lang string, d, l int64) error {
	m.count()
	s := m.stats[lang]
	m.stats[lang] = [2]int64{s[0] + d, s[1] + l}
	return nil
}

var vocabulary = strings.Fields(`vaccination malaria fever child mother pregnancy nutrition diarrhoea rehydration zinc
	hypertension diabetes insulin tuberculosis cough breastfeeding anaemia iron hygiene water sanitation measles polio
	hepatitis hiv testing counselling referral clinic nurse community outreach schedule dose treatment prevention
	screening blood pressure glucose weight height growth infection antibiotic resistance pain wound burn injury`)

// BenchmarkSearch indexes 10,000 generated articles and measures one
// two-word query; it reports the store requests per query beside ns/op.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	store := newMem()
	n := 0
	svc := &knowledge.Service{Store: store, Authors: verifiedAuthors{}, Now: time.Now, NewID: func() string { n++; return fmt.Sprintf("A%06d", n) }}
	rng := rand.New(rand.NewPCG(7, 9))
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = vocabulary[rng.IntN(len(vocabulary))]
		}
		return strings.Join(out, " ")
	}
	for range 10000 {
		if _, err := svc.Share(ctx, "P", "sub", knowledge.Article{Title: words(5), Summary: words(15), Body: words(120), Language: "en", Audience: "public"}); err != nil {
			b.Fatal(err)
		}
	}
	var latencies []time.Duration
	store.requests = 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := svc.Search(ctx, knowledge.Reader{Language: "en"}, knowledge.Query{Text: "malaria vaccination", Language: "en", Limit: 20})
		if err != nil || len(res.Hits) != 20 {
			b.Fatalf("search: %d hits, %v", len(res.Hits), err)
		}
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(store.requests)/float64(b.N), "requests/query")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*95/100].Microseconds()), "p95-µs")
}
