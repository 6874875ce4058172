package cursor_test

import (
	"errors"
	"testing"

	"ohcs/shared/cursor"
	"ohcs/shared/problem"
)

// TestLazySealerReadsItsKeyOnFirstUse: no read until a cursor is sealed or
// opened; a failed read answers Unavailable (never "not a cursor") and is
// tried again by the next use; once read, the key is not read again, and
// its cursors are those of the same key given at once.
func TestLazySealerReadsItsKeyOnFirstUse(t *testing.T) {
	key := make([]byte, cursor.KeySize)
	key[0] = 7
	reads, fail := 0, true
	s := cursor.NewLazySealer(func() ([]byte, error) {
		reads++
		if fail {
			return nil, errors.New("secret unreachable")
		}
		return key, nil
	})
	if reads != 0 {
		t.Fatalf("read %d times before any use", reads)
	}
	if _, err := s.Seal("q", map[string]string{"pk": "a"}); !problem.Is(err, problem.Unavailable) {
		t.Errorf("seal while the key cannot be read: %v; want Unavailable", err)
	}
	if _, err := s.Open("q", "anything"); !problem.Is(err, problem.Unavailable) {
		t.Errorf("open while the key cannot be read: %v; want Unavailable", err)
	}
	fail = false
	token, err := s.Seal("q", map[string]string{"pk": "a"})
	if err != nil {
		t.Fatal(err)
	}
	eager, err := cursor.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	if pos, err := eager.Open("q", token); err != nil || pos["pk"] != "a" {
		t.Errorf("the lazy sealer's cursor under the same key: %v, %v", pos, err)
	}
	for range 3 {
		if _, err := s.Open("q", token); err != nil {
			t.Fatal(err)
		}
	}
	if reads != 3 {
		t.Errorf("key read %d times; want 3 (two failed, one kept)", reads)
	}
}

// TestNoSealerIsADefectNotAPanic: a function built without its cursor key
// (a main that pages and names no cursors) answers an error a 500 is made
// of, for sealing and opening alike, and does not crash.
func TestNoSealerIsADefectNotAPanic(t *testing.T) {
	var s *cursor.Sealer
	if _, err := s.Seal("q", map[string]string{"pk": "a"}); err == nil || problem.Is(err, problem.Invalid) {
		t.Errorf("Seal without a key: %v; want a defect's error", err)
	}
	if _, err := s.Open("q", "token"); err == nil || problem.Is(err, problem.Invalid) {
		t.Errorf("Open without a key: %v; want a defect's error", err)
	}
}
