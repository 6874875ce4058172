package knowledge_test

import (
	"context"
	"fmt"
	"testing"

	"ohcs/shared/knowledge"
)

// lagging is a store whose statistics lag behind its postings, as they do
// for a moment while articles are published at once.
type lagging struct {
	knowledge.Store
	postings []knowledge.Posting
	articles map[string]knowledge.Article
}

func (l lagging) Stats(context.Context, []string) (int64, int64, error) { return 1, 10, nil }

func (l lagging) Postings(context.Context, string) ([]knowledge.Posting, error) {
	return l.postings, nil
}

func (l lagging) Latests(_ context.Context, ids, _ []string) (map[string]knowledge.Article, map[string]bool, error) {
	out := map[string]knowledge.Article{}
	for _, id := range ids {
		out[id] = l.articles[id]
	}
	return out, nil, nil
}

// TestScoresStayPositive: a term in more postings than the statistics
// count documents still weighs positively, so every hit scores above 0
// (the document says a score is at least 0; Prism caught one below).
func TestScoresStayPositive(t *testing.T) {
	st := lagging{articles: map[string]knowledge.Article{}}
	for i := range 4 {
		id := fmt.Sprintf("A%d", i)
		st.postings = append(st.postings, knowledge.Posting{ArticleID: id, Version: 1, TitleTF: 1, BodyTF: 2, Length: 10, Audience: "public", Language: "en"})
		st.articles[id] = knowledge.Article{ID: id, Version: 1, Status: "published", Audience: "public", Language: "en"}
	}
	svc := &knowledge.Service{Store: st, Authors: verifiedAuthors{}}
	res, err := svc.Search(context.Background(), knowledge.Reader{Language: "en"}, knowledge.Query{Text: "rehydration", Language: "en", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 4 {
		t.Fatalf("hits: %d", len(res.Hits))
	}
	for _, h := range res.Hits {
		if !(h.Score > 0) {
			t.Errorf("%s scores %v", h.Article.ID, h.Score)
		}
	}
}

// verifiedAuthors stands for the practitioner directory: every author is
// verified except those listed.
type verifiedAuthors struct{ withdrawn map[string]bool }

func (v verifiedAuthors) AuthorOf(_ context.Context, sub string) (string, bool, error) {
	return sub, !v.withdrawn[sub], nil
}

func (v verifiedAuthors) VerifiedAmong(_ context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = !v.withdrawn[id]
	}
	return out, nil
}
