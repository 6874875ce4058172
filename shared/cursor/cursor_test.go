package cursor_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ohcs/shared/cursor"
	"ohcs/shared/problem"
)

func sealer(t testing.TB, fill byte) *cursor.Sealer {
	t.Helper()
	key := make([]byte, cursor.KeySize)
	for i := range key {
		key[i] = fill
	}
	s, err := cursor.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpen(t *testing.T) {
	s := sealer(t, 1)
	pos := map[string]string{"pk": "PRACTITIONER#1", "sk": "FACET#ALL"}
	tok, err := s.Seal("find|a", pos)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Open("find|a", tok)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pos, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	flipped := []byte(tok)
	flipped[len(flipped)-3] ^= 0x01
	for _, tc := range []struct {
		name  string
		s     *cursor.Sealer
		scope string
		token string
	}{
		{"other scope", s, "find|b", tok},
		{"other key", sealer(t, 2), "find|a", tok},
		{"altered", s, "find|a", string(flipped)},
		{"truncated", s, "find|a", tok[:10]},
		{"not base64", s, "find|a", "%%%"},
		{"empty", s, "find|a", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.s.Open(tc.scope, tc.token); problem.CodeOf(err) != problem.Invalid {
				t.Errorf("got %v; want invalid", err)
			}
		})
	}
	if _, err := cursor.NewSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

// FuzzOpen: whatever a client sends as a cursor, Open answers a 400
// problem or, for a token this sealer made for this scope, the position it
// sealed; it never panics and never accepts a token of another scope.
func FuzzOpen(f *testing.F) {
	s := sealer(f, 1)
	valid, err := s.Seal("find|a", map[string]string{"pk": "PRACTITIONER#1", "sk": "FACET#ALL"})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{valid, "", "a", "====", valid[:len(valid)-1], valid + "A", "eyJwayI6IngifQ"} {
		f.Add("find|a", seed)
	}
	f.Fuzz(func(t *testing.T, scope, token string) {
		pos, err := s.Open(scope, token)
		if err != nil {
			if !problem.Is(err, problem.Invalid) {
				t.Fatalf("Open(%q, %q): %v; want an invalid-input problem", scope, token, err)
			}
			return
		}
		// Only what was sealed opens: the same scope and the same position
		// (base64 lets a few encodings of the same bytes through; the bytes
		// are authenticated).
		if scope != "find|a" || pos["pk"] != "PRACTITIONER#1" || pos["sk"] != "FACET#ALL" || len(pos) != 2 {
			t.Fatalf("Open accepted a token it did not seal for %q: %q -> %v", scope, token, pos)
		}
	})
}
