package knowledge

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"ohcs/shared/problem"
)

// Query is a search.
type Query struct {
	Text          string
	Language      string
	Tag           string
	ConditionCode string
	Limit         int
	After         map[string]string
}

// Hit is a search result.
type Hit struct {
	Article Article
	Score   float64
}

// Result is a page of hits.
type Result struct {
	Hits []Hit
	Next map[string]string
}

// Search ranks the articles r may read by BM25 over the query's terms.
func (s *Service) Search(ctx context.Context, r Reader, q Query) (Result, error) {
	langs := Languages
	if q.Language != "" {
		langs = []string{IndexLanguage(q.Language)}
	} else if pref := IndexLanguage(r.Language); slices.Contains(langs, pref) {
		// The reader's language first: its terms are looked up first.
		langs = append([]string{pref}, slices.DeleteFunc(slices.Clone(langs), func(l string) bool { return l == pref })...)
	}
	// The statistics are those of the partitions searched together, so
	// that scores from different languages compare as one corpus: one
	// batch read. One query per distinct term, whatever the languages:
	// the index is one across languages. At most MaxQueryTerms, the first
	// ones of the query, so that no query costs more than its budget.
	// None depends on another: they all go out at once.
	terms := QueryTerms(langs, q.Text)
	var (
		docs, total int64
		postings    = make([][]Posting, len(terms))
		reads, rctx = errgroup.WithContext(ctx)
	)
	reads.Go(func() (err error) {
		docs, total, err = s.Store.Stats(rctx, langs)
		return err
	})
	for i, t := range terms {
		reads.Go(func() (err error) {
			postings[i], err = s.Store.Postings(rctx, t)
			return err
		})
	}
	if err := reads.Wait(); err != nil {
		return Result{}, err
	}
	if docs <= 0 {
		return Result{}, nil
	}
	avg := float64(total) / float64(docs)
	scores := map[string]float64{}
	authorOf := map[string]string{}
	// Scored in the query's order of terms, so that sums round alike.
	for _, ps := range postings {
		// Postings can outnumber the counted documents for a moment
		// (stale versions' postings until they are checked, statistics
		// updated after the article): a term is never in more than all
		// of them, so the weight stays positive.
		n := min(float64(len(ps)), float64(docs))
		idf := math.Log(1 + (float64(docs)-n+0.5)/(n+0.5))
		for _, p := range ps {
			if !matches(p, q, r) {
				continue
			}
			tf := float64(titleWeight*p.TitleTF + summaryWeight*p.SummaryTF + p.BodyTF)
			norm := tf + k1*(1-b+b*float64(p.Length)/math.Max(avg, 1))
			key := p.ArticleID + "#" + strconv.FormatInt(p.Version, 10)
			w := 1.0
			if q.Language == "" && IndexLanguage(p.Language) == IndexLanguage(r.Language) {
				w = preferred
			}
			scores[key] += w * idf * tf * (k1 + 1) / norm
			if p.AuthorID != "" {
				authorOf[p.ArticleID] = p.AuthorID
			}
		}
	}
	type cand struct {
		id      string
		version int64
		score   float64
	}
	var cands []cand
	for key, sc := range scores {
		id, v, _ := cutLast(key)
		cands = append(cands, cand{id, v, math.Round(sc*1e6) / 1e6})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].id < cands[j].id
	})
	start := 0
	if q.After != nil {
		sc, err := strconv.ParseFloat(q.After["score"], 64)
		if err != nil || q.After["id"] == "" {
			return Result{}, problem.Field("cursor", "is not a cursor of this query")
		}
		start = sort.Search(len(cands), func(i int) bool {
			return cands[i].score < sc || (cands[i].score == sc && cands[i].id > q.After["id"])
		})
	}
	var res Result
	// One batch of candidates per page: a page may hold fewer hits than
	// the limit (stale or hidden candidates), and its cursor goes on.
	if i := start; i < len(cands) {
		end := min(len(cands), i+2*q.Limit)
		ids := make([]string, 0, end-i)
		var authors []string
		for _, c := range cands[i:end] {
			ids = append(ids, c.id)
			if au := authorOf[c.id]; au != "" {
				authors = append(authors, au)
			}
		}
		// The candidates and their authors (named by the postings) in one
		// request; authors the store did not read (postings indexed
		// before they named them, a store that reads one table) after.
		latest, verified, err := s.Store.Latests(ctx, ids, authors)
		if err != nil {
			return Result{}, err
		}
		var unread []string
		for _, a := range latest {
			if _, ok := verified[a.AuthorID]; !ok {
				unread = append(unread, a.AuthorID)
			}
		}
		if len(unread) > 0 {
			more, err := s.Authors.VerifiedAmong(ctx, unread)
			if err != nil {
				return Result{}, err
			}
			if verified == nil {
				verified = map[string]bool{}
			}
			for _, id := range unread {
				verified[id] = more[id]
			}
		}
		for ; i < end && len(res.Hits) < q.Limit; i++ {
			c := cands[i]
			a, ok := latest[c.id]
			// Postings of an older version, or of a retracted article, are
			// never shown: the latest version decides.
			if !ok || a.Version != c.version || a.Status != "published" || !visible(a, a, r) || !verified[a.AuthorID] {
				continue
			}
			res.Hits = append(res.Hits, Hit{Article: a, Score: c.score})
			if len(res.Hits) == q.Limit && i+1 < len(cands) {
				res.Next = map[string]string{"score": strconv.FormatFloat(c.score, 'f', -1, 64), "id": c.id}
			}
		}
		if res.Next == nil && i < len(cands) && i > start {
			// The batch ran out before the page filled: the cursor goes on
			// after the last candidate looked at.
			c := cands[i-1]
			res.Next = map[string]string{"score": strconv.FormatFloat(c.score, 'f', -1, 64), "id": c.id}
		}
	}
	return res, nil
}

// QueryTerms returns the distinct index terms of a query's text in the
// languages searched, language by language (the first is preferred: every
// word's term in it comes before another language's), at most
// MaxQueryTerms.
func QueryTerms(langs []string, text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, lang := range langs {
		for _, t := range Analyze(lang, text) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
			if len(out) == MaxQueryTerms {
				return out
			}
		}
	}
	return out
}

func cutLast(key string) (string, int64, bool) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '#' {
			v, err := strconv.ParseInt(key[i+1:], 10, 64)
			return key[:i], v, err == nil
		}
	}
	return key, 0, false
}

func matches(p Posting, q Query, r Reader) bool {
	if p.Audience != "public" && !r.SeesPractitionerArticles() {
		return false
	}
	if q.Language != "" && !(equalFold(p.Language, q.Language) || primaryMatch(p.Language, q.Language)) {
		return false
	}
	if q.Tag != "" && !slices.ContainsFunc(p.Tags, func(t string) bool { return equalFold(t, q.Tag) }) {
		return false
	}
	if q.ConditionCode != "" && !slices.Contains(p.Conditions, q.ConditionCode) {
		return false
	}
	return true
}

func equalFold(a, b string) bool { return fold(lower(a)) == fold(lower(b)) }

func lower(s string) string { return strings.ToLower(s) }

// primaryMatch: a filter "pt" matches "pt-MZ".
func primaryMatch(tag, filter string) bool {
	if len(filter) > 3 {
		return false
	}
	return IndexLanguage(tag) == lower(filter) || (len(tag) > len(filter) && lower(tag[:len(filter)]) == lower(filter) && tag[len(filter)] == '-')
}
