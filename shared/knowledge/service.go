package knowledge

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Field weights and BM25 parameters.
const (
	titleWeight   = 3
	summaryWeight = 2
	k1            = 1.2
	b             = 0.75
	// maxBodyTerms bounds the distinct body terms indexed per article (the
	// most frequent are kept): a 100 KiB body stays cheap to index.
	maxBodyTerms = 1500
)

// Reader is who reads: anonymous, a practitioner (by profile id) or an
// administrator.
type Reader struct {
	Sub          string
	Practitioner bool
	Admin        bool
	// Language is the reader's preferred language (Accept-Language); a
	// search without a language filter ranks articles in it higher.
	Language string
}

// preferred is the score factor of articles in the reader's language when
// a search spans languages.
const preferred = 1.25

// SeesPractitionerArticles reports whether r reads articles for
// practitioners.
func (r Reader) SeesPractitionerArticles() bool { return r.Practitioner || r.Admin }

// Service is the knowledge domain's logic.
type Service struct {
	Store Store
	// Authors tells whether the authors of articles are verified now: the
	// public articles of a practitioner whose verification is withdrawn
	// leave search until it is verified again.
	Authors Authors
	Now     func() time.Time
	NewID   func() string
}

// Authors is what knowledge needs of the practitioner directory.
type Authors interface {
	// VerifiedAmong reports, per practitioner id, whether it is verified
	// now (absent: it does not exist).
	VerifiedAmong(ctx context.Context, ids []string) (map[string]bool, error)
	// AuthorOf returns the practitioner profile id of sub and whether it
	// is verified now; NotFound when sub has no practitioner profile.
	AuthorOf(ctx context.Context, sub string) (id string, verified bool, err error)
}

// Validate checks an article's fields.
func (a Article) Validate() error {
	var l problem.FieldList
	validate.Text(&l, "title", a.Title, true, 200)
	validate.Text(&l, "summary", a.Summary, true, 1000)
	if a.Body == "" {
		l.Add("body", "is required")
	} else if len(a.Body) > 100*1024 {
		l.Add("body", "must be at most 100 KiB")
	}
	validate.Language(&l, "language", a.Language, true)
	if len(a.Tags) > 20 {
		l.Add("tags", "at most 20 tags")
	}
	for i, t := range a.Tags {
		validate.Text(&l, fmt.Sprintf("tags[%d]", i), t, true, 50)
	}
	if len(a.ConditionCodes) > 20 {
		l.Add("conditionCodes", "at most 20 codes")
	}
	for i, c := range a.ConditionCodes {
		validate.Text(&l, fmt.Sprintf("conditionCodes[%d].system", i), c.System, true, 32)
		validate.Text(&l, fmt.Sprintf("conditionCodes[%d].code", i), c.Code, true, 64)
	}
	if a.Audience != "public" && a.Audience != "practitioners" {
		l.Add("audience", "must be public or practitioners")
	}
	return l.Err()
}

// postings computes the index entries of a.
func postings(a Article) (string, map[string]Posting, int) {
	lang := IndexLanguage(a.Language)
	count := func(text string) map[string]int {
		m := map[string]int{}
		for _, t := range Analyze(lang, text) {
			m[t]++
		}
		return m
	}
	title, summary, body := count(a.Title), count(a.Summary), count(a.Body)
	if len(body) > maxBodyTerms {
		terms := make([]string, 0, len(body))
		for t := range body {
			terms = append(terms, t)
		}
		sort.Slice(terms, func(i, j int) bool {
			return body[terms[i]] > body[terms[j]] || (body[terms[i]] == body[terms[j]] && terms[i] < terms[j])
		})
		for _, t := range terms[maxBodyTerms:] {
			delete(body, t)
		}
	}
	length := 0
	for _, m := range []struct {
		tf map[string]int
		w  int
	}{{title, titleWeight}, {summary, summaryWeight}, {body, 1}} {
		for _, n := range m.tf {
			length += n * m.w
		}
	}
	var conds []string
	for _, c := range a.ConditionCodes {
		conds = append(conds, c.Key())
	}
	out := map[string]Posting{}
	for _, tf := range []map[string]int{title, summary, body} {
		for t := range tf {
			out[t] = Posting{ArticleID: a.ID, Version: a.Version, TitleTF: title[t], SummaryTF: summary[t], BodyTF: body[t],
				Length: length, Audience: a.Audience, Language: a.Language, Tags: a.Tags, Conditions: conds, AuthorID: a.AuthorID}
		}
	}
	return lang, out, length
}

func termsOf(p map[string]Posting) []string {
	out := make([]string, 0, len(p))
	for t := range p {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Publish shares a new article by the practitioner of authorSub, which must
// be verified now. Forbidden, Invalid.
func (s *Service) Publish(ctx context.Context, authorSub string, a Article) (Article, error) {
	id, verified, err := s.Authors.AuthorOf(ctx, authorSub)
	switch {
	case problem.Is(err, problem.NotFound):
		return Article{}, problem.New(problem.Forbidden, "only verified practitioners share knowledge: create your profile")
	case err != nil:
		return Article{}, err
	case !verified:
		return Article{}, problem.New(problem.Forbidden, "only verified practitioners share knowledge")
	}
	return s.Share(ctx, id, authorSub, a)
}

// Share publishes a new article by a practitioner the caller has checked
// (the demonstration's seed). Invalid.
func (s *Service) Share(ctx context.Context, authorID, authorSub string, a Article) (Article, error) {
	if a.Audience == "" {
		a.Audience = "public"
	}
	if err := a.Validate(); err != nil {
		return Article{}, err
	}
	now := s.Now().UTC()
	a.ID, a.AuthorID, a.AuthorSub, a.Status, a.CreatedAt, a.UpdatedAt, a.Version = s.NewID(), authorID, authorSub, "published", now, now, 1
	lang, post, length := postings(a)
	a.Terms = termsOf(post)
	if err := s.Store.Create(ctx, a); err != nil {
		return Article{}, err
	}
	if err := s.Store.Index(ctx, a, post, nil); err != nil {
		return Article{}, err
	}
	return a, s.Store.AddStats(ctx, lang, 1, int64(length))
}

// Update asks an article's author for a new version of it at IfMatch:
// the fields of Patch named in Fields replace the latest's.
type Update struct {
	AuthorSub string
	ID        string
	Patch     Article
	Fields    map[string]bool
	IfMatch   int64
}

// Update publishes a new version of the author's article at ifMatch; the
// fields of patch named in fields replace the latest's.
func (s *Service) Update(ctx context.Context, in Update) (Article, error) {
	authorSub, id, patch, fields, ifMatch := in.AuthorSub, in.ID, in.Patch, in.Fields, in.IfMatch
	// A practitioner whose verification is withdrawn edits no article.
	if _, verified, err := s.Authors.AuthorOf(ctx, authorSub); err == nil && !verified {
		return Article{}, problem.New(problem.Forbidden, "only verified practitioners edit knowledge")
	} else if err != nil && !problem.Is(err, problem.NotFound) {
		return Article{}, err
	}
	old, err := s.Store.Latest(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if old.AuthorSub != authorSub {
		if old.Status != "published" {
			return Article{}, problem.New(problem.NotFound, "no article %s", id)
		}
		return Article{}, problem.New(problem.Forbidden, "only its author updates an article")
	}
	if old.Status != "published" {
		return Article{}, problem.New(problem.Unprocessable, "a retracted article cannot change")
	}
	if old.Version != ifMatch {
		return Article{}, problem.New(problem.PreconditionFailed, "the article is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	next := old
	set := map[string]func(){
		"title": func() { next.Title = patch.Title }, "summary": func() { next.Summary = patch.Summary },
		"body": func() { next.Body = patch.Body }, "language": func() { next.Language = patch.Language },
		"tags": func() { next.Tags = patch.Tags }, "conditionCodes": func() { next.ConditionCodes = patch.ConditionCodes },
		"audience": func() { next.Audience = patch.Audience },
	}
	for f, apply := range set {
		if fields[f] {
			apply()
		}
	}
	if err := next.Validate(); err != nil {
		return Article{}, err
	}
	next.UpdatedAt, next.Version = s.Now().UTC(), old.Version+1
	oldLang, _, oldLength := postings(old)
	lang, post, length := postings(next)
	next.Terms = termsOf(post)
	if err := s.Store.Update(ctx, old, next); err != nil {
		return Article{}, err
	}
	var stale []string
	if oldLang == lang {
		for _, t := range old.Terms {
			if _, ok := post[t]; !ok {
				stale = append(stale, t)
			}
		}
	} else {
		if err := s.Store.Index(ctx, Article{ID: old.ID, Language: old.Language}, nil, old.Terms); err != nil {
			return Article{}, err
		}
	}
	if err := s.Store.Index(ctx, next, post, stale); err != nil {
		return Article{}, err
	}
	if err := s.Store.AddStats(ctx, oldLang, -1, -int64(oldLength)); err != nil {
		return Article{}, err
	}
	return next, s.Store.AddStats(ctx, lang, 1, int64(length))
}

// Retract retracts an article by its author or an administrator at
// ifMatch. From the moment it returns, search no longer shows it: search
// checks the latest version of every result.
func (s *Service) Retract(ctx context.Context, r Reader, id string, ifMatch int64) (Article, error) {
	old, err := s.Store.Latest(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if old.AuthorSub != r.Sub && !r.Admin {
		if old.Status == "published" && (old.Audience == "public" || r.SeesPractitionerArticles()) {
			return Article{}, problem.New(problem.Forbidden, "only its author or an administrator retracts an article")
		}
		return Article{}, problem.New(problem.NotFound, "no article %s", id)
	}
	if old.Status == "retracted" {
		return old, nil
	}
	if old.Version != ifMatch {
		return Article{}, problem.New(problem.PreconditionFailed, "the article is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	next := old
	next.Status, next.UpdatedAt, next.Version, next.Terms = "retracted", s.Now().UTC(), old.Version+1, nil
	if err := s.Store.Update(ctx, old, next); err != nil {
		return Article{}, err
	}
	lang, _, length := postings(old)
	if err := s.Store.Index(ctx, next, nil, old.Terms); err != nil {
		return Article{}, err
	}
	return next, s.Store.AddStats(ctx, lang, -1, -int64(length))
}

// visible reports whether r may read a (the latest version decides the
// status).
func visible(latest, a Article, r Reader) bool {
	if r.Admin || (r.Sub != "" && latest.AuthorSub == r.Sub) {
		return true
	}
	// Every version obeys the latest's audience as well as its own: an
	// author who narrows an article's audience narrows its history too.
	seen := func(audience string) bool { return audience == "public" || r.SeesPractitionerArticles() }
	return latest.Status == "published" && seen(latest.Audience) && seen(a.Audience)
}

// Get returns an article's latest version, or version when not 0, as r may
// see it; NotFound otherwise.
func (s *Service) Get(ctx context.Context, r Reader, id string, version int64) (Article, error) {
	latest, err := s.Store.Latest(ctx, id)
	if err != nil {
		return Article{}, err
	}
	a := latest
	if version != 0 && version != latest.Version {
		if a, err = s.Store.Version(ctx, id, version); err != nil {
			return Article{}, err
		}
	}
	if !visible(latest, a, r) {
		return Article{}, problem.New(problem.NotFound, "no article %s", id)
	}
	return a, nil
}

// MaxQueryTerms is the most distinct terms a search looks up: one query
// each, so that a search costs at most MaxQueryTerms + 3 requests whatever
// its text (the statistics, the articles and their authors are a batch
// each).
const MaxQueryTerms = 8
