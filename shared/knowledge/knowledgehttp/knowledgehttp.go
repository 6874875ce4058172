// Package knowledgehttp serves medical knowledge over HTTP. Reading and
// searching are public at the gateway: without a token they see public
// articles; with one (checked here, as the gateway does not for public
// routes) practitioners and administrators also see practitioners' articles.
package knowledgehttp

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"ohcs/shared/app"

	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/knowledge"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/ratelimit"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func ShareMedicalKnowledge() platform.Operation   { return op((*Handlers).Share, tables.Knowledge) }
func UpdateMedicalKnowledge() platform.Operation  { return op((*Handlers).Update, tables.Knowledge) }
func RetractMedicalKnowledge() platform.Operation { return op((*Handlers).Retract, tables.Knowledge) }
func GetMedicalKnowledge() platform.Operation     { return op((*Handlers).Get) }
func SearchMedicalKnowledge() platform.Operation  { return op((*Handlers).Search, tables.Idempotency) }

// AnonymousSearchLimit bounds anonymous searches per client address: a
// clinic behind one address searching all day stays far below it.
var AnonymousSearchLimit = ratelimit.Rule{Name: "anonymousSearch", What: "searches without a token", Limit: 300, Window: 5 * time.Minute}

var op = platform.Ops(New, []tables.Table{tables.Knowledge, tables.Practitioners})

// Handlers serves the knowledge operations.
type Handlers struct {
	Service *knowledge.Service
	Tokens  *auth.Verifier
	Cursors *cursor.Sealer
	Limits  *ratelimit.Limiter
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.Knowledge(), Tokens: env.Tokens, Cursors: env.Cursors, Limits: parts.Limits()}
}

// reader returns who reads: the gateway's principal, or the optional
// bearer token checked here; an invalid token is 401, no token anonymous.
func (h *Handlers) reader(r *http.Request) (knowledge.Reader, error) {
	p, err := auth.FromRequest(r)
	if err != nil {
		header := r.Header.Get("Authorization")
		if header == "" {
			return knowledge.Reader{Language: preferredLanguage(r)}, nil
		}
		if h.Tokens == nil {
			return knowledge.Reader{}, problem.New(problem.Unauthenticated, "tokens cannot be checked here")
		}
		token, _ := strings.CutPrefix(header, "Bearer ")
		claims, verr := h.Tokens.Verify(r.Context(), strings.TrimSpace(token))
		if verr != nil {
			return knowledge.Reader{}, problem.New(problem.Unauthenticated, "a valid bearer token is required")
		}
		if p, _ = auth.FromClaims(claims); p.Sub == "" {
			return knowledge.Reader{}, problem.New(problem.Unauthenticated, "a valid bearer token is required")
		}
	}
	return knowledge.Reader{Sub: p.Sub, Practitioner: p.Has(auth.Practitioner), Admin: p.Has(auth.Administrator), Language: preferredLanguage(r)}, nil
}

// preferredLanguage is the first tag of Accept-Language, English without.
func preferredLanguage(r *http.Request) string {
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	if !validate.IsLanguage(first) {
		return "en"
	}
	return first
}

type codeJSON struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

type articleIn struct {
	Title          string     `json:"title"`
	Summary        string     `json:"summary"`
	Body           string     `json:"body"`
	Language       string     `json:"language"`
	Tags           []string   `json:"tags"`
	ConditionCodes []codeJSON `json:"conditionCodes"`
	Audience       string     `json:"audience"`
}

func (in articleIn) article() knowledge.Article {
	a := knowledge.Article{Title: in.Title, Summary: in.Summary, Body: in.Body, Language: in.Language, Tags: in.Tags, Audience: in.Audience}
	for _, c := range in.ConditionCodes {
		a.ConditionCodes = append(a.ConditionCodes, knowledge.Code(c))
	}
	return a
}

// articleJSON is an article as the API shows it: what was shared, with
// its id first and what the service keeps of it after.
type articleJSON struct {
	ID string `json:"id"`
	articleIn
	AuthorID string `json:"authorId"`
	Status   string `json:"status"`
	jsonio.Stamps
}

func out(a knowledge.Article) articleJSON {
	o := articleJSON{ID: a.ID, articleIn: articleIn{Title: a.Title, Summary: a.Summary, Body: a.Body, Language: a.Language, Tags: a.Tags,
		ConditionCodes: []codeJSON{}, Audience: a.Audience}, AuthorID: a.AuthorID, Status: a.Status,
		Stamps: jsonio.StampsOf(a.CreatedAt, a.UpdatedAt, a.Version)}
	if o.Tags == nil {
		o.Tags = []string{}
	}
	for _, c := range a.ConditionCodes {
		o.ConditionCodes = append(o.ConditionCodes, codeJSON(c))
	}
	return o
}

func respond(w http.ResponseWriter, status int, a knowledge.Article) {
	lambdahttp.Versioned(w, status, a.Version, out(a))
}

// Share serves shareMedicalKnowledge.
func (h *Handlers) Share(w http.ResponseWriter, r *http.Request) error {
	var in articleIn
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	a, err := h.Service.Publish(r.Context(), p.Sub, in.article())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/knowledge/"+a.ID)
	respond(w, http.StatusCreated, a)
	return nil
}

// Update serves updateMedicalKnowledge.
func (h *Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	u, err := lambdahttp.ReadUpdate(r, "articleId")
	if err != nil {
		return err
	}
	var in articleIn
	if err := jsonio.Unmarshal(u.Body, &in); err != nil {
		return err
	}
	var l problem.FieldList
	fields := jsonio.PatchFields(u.Body, &l)
	if err := l.Err(); err != nil {
		return err
	}
	a, err := h.Service.Update(r.Context(), knowledge.Update{AuthorSub: u.Caller.Sub, ID: u.ID, Patch: in.article(), Fields: fields, IfMatch: u.IfMatch})
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, a)
	return nil
}

// Retract serves retractMedicalKnowledge.
func (h *Handlers) Retract(w http.ResponseWriter, r *http.Request) error {
	p, id, version, err := lambdahttp.Change(r, "articleId")
	if err != nil {
		return err
	}
	a, err := h.Service.Retract(r.Context(), knowledge.Reader{Sub: p.Sub, Practitioner: p.Has(auth.Practitioner), Admin: p.Has(auth.Administrator)}, id, version)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, a)
	return nil
}

// Get serves getMedicalKnowledge.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	rd, err := h.reader(r)
	if err != nil {
		return err
	}
	id, err := lambdahttp.PathID(r, "articleId")
	if err != nil {
		return err
	}
	var version int64
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.ParseInt(v, 10, 64); err != nil || version < 1 {
			return problem.Field("version", "must be a version number")
		}
	}
	a, err := h.Service.Get(r.Context(), rd, id, version)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, a)
	return nil
}

type hitJSON struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Language string   `json:"language"`
	Tags     []string `json:"tags"`
	Score    float64  `json:"score"`
}

// Search serves searchMedicalKnowledge.
func (h *Handlers) Search(w http.ResponseWriter, r *http.Request) error {
	rd, err := h.reader(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	q := knowledge.Query{Text: v.Get("q"), Language: v.Get("language"), Tag: v.Get("tag"), ConditionCode: v.Get("conditionCode")}
	var l problem.FieldList
	validate.Text(&l, "q", q.Text, true, 200)
	if q.Language != "" {
		validate.Language(&l, "language", q.Language, false)
	}
	validate.Text(&l, "tag", q.Tag, false, 50)
	validate.Text(&l, "conditionCode", q.ConditionCode, false, 64)
	if err := l.Err(); err != nil {
		return err
	}
	// Anonymous searches are limited per client address here as well as
	// at the firewall: what the firewall lets through still costs requests.
	if rd.Sub == "" && h.Limits != nil {
		if err := h.Limits.Allow(r.Context(), AnonymousSearchLimit, lambdahttp.SourceIP(r)); err != nil {
			return err
		}
	}
	audience := "public"
	if rd.SeesPractitionerArticles() {
		audience = "all"
	}
	scope := strings.Join([]string{"searchMedicalKnowledge", q.Text, q.Language, q.Tag, q.ConditionCode, audience}, "\x1f")
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		return err
	}
	q.Limit, q.After = pg.Limit, pg.After
	res, err := h.Service.Search(r.Context(), rd, q)
	if err != nil {
		return err
	}
	page := struct {
		Items      []hitJSON `json:"items"`
		NextCursor string    `json:"nextCursor,omitempty"`
	}{Items: []hitJSON{}}
	for _, hit := range res.Hits {
		tags := hit.Article.Tags
		if tags == nil {
			tags = []string{}
		}
		page.Items = append(page.Items, hitJSON{ID: hit.Article.ID, Title: hit.Article.Title, Summary: hit.Article.Summary,
			Language: hit.Article.Language, Tags: tags, Score: hit.Score})
	}
	if page.NextCursor, err = paging.Next(h.Cursors, scope, res.Next); err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, page)
	return nil
}
