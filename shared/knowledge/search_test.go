package knowledge_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/knowledge"
	"ohcs/shared/knowledge/knowledgetest"
)

// noAuthors fails the test when a search asks the directory separately
// for authors the store read with the candidates.
type noAuthors struct {
	verifiedAuthors
	t *testing.T
}

func (a noAuthors) VerifiedAmong(context.Context, []string) (map[string]bool, error) {
	a.t.Error("the authors were asked after the candidates, in a request of their own")
	return nil, nil
}

// TestSearchReadsAuthorsWithTheCandidates: a search asks the statistics
// and each distinct term's postings, then the candidates with their
// authors (named by the postings) in one request: terms + 2. An article
// whose author's verification is withdrawn is not shown; verified again,
// it is.
func TestSearchReadsAuthorsWithTheCandidates(t *testing.T) {
	ctx := context.Background()
	withdrawn := map[string]bool{}
	store := &knowledgetest.Store{Verified: func(id string) bool { return !withdrawn[id] }}
	n := 0
	svc := &knowledge.Service{Store: store, Authors: noAuthors{t: t}, Now: time.Now, NewID: func() string { n++; return fmt.Sprintf("K%d", n) }}
	for _, author := range []string{"P1", "P2"} {
		if _, err := svc.Share(ctx, author, "sub-"+author, knowledge.Article{Title: "Oral rehydration by " + author, Summary: "Salts.",
			Body: "Give oral rehydration solution.", Language: "en", Audience: "public"}); err != nil {
			t.Fatal(err)
		}
	}
	query := knowledge.Query{Text: "oral rehydration", Language: "en", Limit: 10}
	search := func() map[string]bool {
		t.Helper()
		store.Requests()
		res, err := svc.Search(ctx, knowledge.Reader{Language: "en"}, query)
		if err != nil {
			t.Fatal(err)
		}
		terms := len(knowledge.QueryTerms([]string{"en"}, query.Text))
		if got := store.Requests(); got != terms+2 {
			t.Errorf("a search of %d terms took %d requests; want %d", terms, got, terms+2)
		}
		out := map[string]bool{}
		for _, h := range res.Hits {
			out[h.Article.AuthorID] = true
		}
		return out
	}
	if got := search(); !got["P1"] || !got["P2"] {
		t.Fatalf("both authors verified: %v", got)
	}
	withdrawn["P2"] = true
	if got := search(); !got["P1"] || got["P2"] {
		t.Fatalf("P2 withdrawn: %v; want P1 alone", got)
	}
	withdrawn["P2"] = false
	if got := search(); !got["P2"] {
		t.Fatalf("P2 verified again: %v", got)
	}
}
