package knowledge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"ohcs/shared/knowledge"
	"ohcs/shared/knowledge/knowledgetest"
)

var vocabulary = strings.Fields(`vaccination malaria fever child mother pregnancy nutrition diarrhoea rehydration zinc
	hypertension diabetes insulin tuberculosis cough breastfeeding anaemia iron hygiene water sanitation measles polio
	hepatitis hiv testing counselling referral clinic nurse community outreach schedule dose treatment prevention
	screening blood pressure glucose weight height growth infection antibiotic resistance pain wound burn injury`)

// BenchmarkSearch indexes 10,000 generated articles and measures one
// two-word query; it reports the store requests per query beside ns/op.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	store := &knowledgetest.Store{Verified: func(string) bool { return true }}
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
	store.Requests()
	requests := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := svc.Search(ctx, knowledge.Reader{Language: "en"}, knowledge.Query{Text: "malaria vaccination", Language: "en", Limit: 20})
		if err != nil || len(res.Hits) != 20 {
			b.Fatalf("search: %d hits, %v", len(res.Hits), err)
		}
		latencies = append(latencies, time.Since(start))
		requests += store.Requests()
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(requests)/float64(b.N), "requests/query")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*95/100].Microseconds()), "p95-µs")
}
