package practitionerdb

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Search queries the facet of the most selective filter in name order, or
// the geohash cells around q.Near by distance.
func (st *Store) Search(ctx context.Context, q practitioner.Query) (practitioner.Page, error) {
	if q.Near != nil {
		return st.searchNear(ctx, q)
	}
	facet, filters, values := plan(q, "")
	in, err := st.facetQuery(facet, filters, values, q.NamePrefix)
	if err != nil {
		return practitioner.Page{}, err
	}
	return st.page(ctx, in, q.Limit, q.After, len(filters) > 0, "search practitioners")
}

// page reads a page of facet items in name order and decodes them.
func (st *Store) page(ctx context.Context, in *dynamodb.QueryInput, limit int, after map[string]string, filtered bool, what string) (practitioner.Page, error) {
	raw, next, err := dynamo.Page(ctx, st.DB, in, positionKeys, limit, after, filtered, what)
	if err != nil {
		return practitioner.Page{}, err
	}
	page := practitioner.Page{Next: next}
	for _, item := range raw {
		p, err := decode(item)
		if err != nil {
			return practitioner.Page{}, err
		}
		page.Items = append(page.Items, p)
		page.Positions = append(page.Positions, position(item))
	}
	return page, nil
}

// Verified pages through the verified practitioners in name order: the
// ALL facet, one Query a page. It folds no text, so the functions that
// only list practitioners (notices to all of them) link no folding tables.
func (st *Store) Verified(ctx context.Context, limit int, after map[string]string) (practitioner.Page, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(st.Table),
		IndexName:                 aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": tables.GSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("ALL")},
	}
	return st.page(ctx, in, limit, after, false, "list verified practitioners")
}

// facetQuery builds the query of one facet in name order.
func (st *Store) facetQuery(facet string, filters []string, values map[string]types.AttributeValue, namePrefix string) (*dynamodb.QueryInput, error) {
	names := map[string]string{"#pk": tables.GSI1PK}
	vals := maps.Clone(values)
	vals[":pk"] = dynamo.S(facet)
	keyCond := "#pk = :pk"
	if prefix := practitioner.Fold(namePrefix); prefix != "" {
		keyCond += " AND begins_with(#sk, :prefix)"
		names["#sk"] = tables.GSI1SK
		vals[":prefix"] = dynamo.S(prefix)
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(st.Table),
		IndexName:                 aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String(keyCond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: vals,
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	return in, nil
}

// searchNear reads every practitioner of the cells that cover the circle,
// keeps those within the radius and pages through them by distance, then
// id. The candidates are the verified practitioners of at most nine cells
// sized to the radius, never the table.
func (st *Store) searchNear(ctx context.Context, q practitioner.Query) (practitioner.Page, error) {
	prec, cells, ok := practitioner.CoverCells(*q.Near, q.RadiusKm)
	facets := []string{"ALL"}
	if ok {
		facets = facets[:0]
		for _, c := range cells {
			facets = append(facets, fmt.Sprintf("GEO%d#%s", prec, c))
		}
	}
	_, filters, values := plan(q, "near")
	type hit struct {
		p    practitioner.Practitioner
		dist float64
	}
	seen := map[string]bool{}
	var hits []hit
	for _, f := range facets {
		in, err := st.facetQuery(f, filters, values, q.NamePrefix)
		if err != nil {
			return practitioner.Page{}, err
		}
		pages := dynamodb.NewQueryPaginator(st.DB, in)
		for pages.HasMorePages() {
			out, err := pages.NextPage(ctx)
			if err != nil {
				return practitioner.Page{}, dynamo.Err(err, "search practitioners near")
			}
			for _, item := range out.Items {
				p, err := decode(item)
				if err != nil {
					return practitioner.Page{}, err
				}
				pos, has := p.Position()
				if seen[p.ID] || !has {
					continue
				}
				seen[p.ID] = true
				if d := practitioner.DistanceKm(*q.Near, pos); d <= q.RadiusKm {
					hits = append(hits, hit{p, d})
				}
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return strings.Compare(a.p.ID, b.p.ID)
	})
	pos := func(h hit) map[string]string {
		return map[string]string{"d": strconv.FormatFloat(h.dist, 'g', -1, 64), "id": h.p.ID}
	}
	start := 0
	if q.After != nil {
		d, err := strconv.ParseFloat(q.After["d"], 64)
		if err != nil || q.After["id"] == "" {
			return practitioner.Page{}, problem.Field("cursor", "is not a cursor of this query")
		}
		start = sort.Search(len(hits), func(i int) bool {
			return hits[i].dist > d || (hits[i].dist == d && hits[i].p.ID > q.After["id"])
		})
	}
	var page practitioner.Page
	for i := start; i < len(hits) && len(page.Items) < q.Limit; i++ {
		page.Items = append(page.Items, hits[i].p)
		page.Distances = append(page.Distances, hits[i].dist)
		page.Positions = append(page.Positions, pos(hits[i]))
		if len(page.Items) == q.Limit && i+1 < len(hits) {
			page.Next = pos(hits[i])
		}
	}
	return page, nil
}

// plan picks the facet to query and the filters on the others; with a
// forced facet (a geohash cell), every filter is a filter.
func plan(q practitioner.Query, forced string) (string, []string, map[string]types.AttributeValue) {
	values := map[string]types.AttributeValue{}
	var filters []string
	facet := forced
	use := func(f string) bool {
		if facet == "" {
			facet = f
			return true
		}
		return false
	}
	if q.Specialty != "" && !use("SPEC#"+q.Specialty) {
		filters = append(filters, "contains(specs, :spec)")
		values[":spec"] = dynamo.S(q.Specialty)
	}
	if q.Language != "" {
		lang := strings.ToLower(q.Language)
		if !use("LANG#" + lang) {
			filters = append(filters, "contains(langs, :lang)")
			values[":lang"] = dynamo.S(lang)
		}
	}
	if q.Mode != "" && !use("MODE#"+string(q.Mode)) {
		filters = append(filters, "contains(modes, :mode)")
		values[":mode"] = dynamo.S(string(q.Mode))
	}
	use("ALL")
	return facet, filters, values
}

var positionKeys = []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}

func position(item map[string]types.AttributeValue) map[string]string {
	return dynamo.Position(item, positionKeys)
}

// VerifiedAmong reports, for each practitioner id, whether it exists and is
// verified now, in one batch read per 100 ids.
func (st *Store) VerifiedAmong(ctx context.Context, ids []string) (map[string]bool, error) {
	var keys []map[string]types.AttributeValue
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, profileKey(id))
		}
	}
	items, err := dynamo.BatchGet(ctx, st.DB, st.Table, keys, true)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, item := range items {
		p, err := decode(item)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p.Verification == practitioner.Verified
	}
	return out, nil
}
