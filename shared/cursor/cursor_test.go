package cursor_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ohcs/shared/cursor"
	"ohcs/shared/problem"
)

func sealer(t *testing.T, fill byte) *cursor.Sealer {
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
