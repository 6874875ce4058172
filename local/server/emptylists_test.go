package server_test

import "testing"

// TestEmptyListsRoundTrip shares and updates an article whose optional
// lists are empty: the stores keep an empty list as DynamoDB does, on both
// stores (make test-dynamodb-local runs this against DynamoDB Local).
func TestEmptyListsRoundTrip(t *testing.T) {
	c, w := startWorld(t)
	prac := w.tokens["practitioner"]
	shared := w.must(shareArticle(c, prac, map[string]any{
		"title": "Oral rehydration", "summary": "How to mix and give ORS.", "body": "Mix one sachet in one litre of clean water.",
		"language": "en", "tags": []string{}, "conditionCodes": []any{}, "audience": "public"}), 201, "share")
	id := shared["id"].(string)
	got := w.must(getArticle(c, prac, id), 200, "read")
	if got["title"] != "Oral rehydration" {
		t.Errorf("read back: %v", got)
	}
	found := false
	for _, h := range search(t, c, "", "q=rehydration") {
		found = found || h["id"] == id
	}
	if !found {
		t.Errorf("the article with empty lists is not found by search")
	}
}
