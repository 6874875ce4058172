package textfold_test

import (
	"sync"
	"testing"

	"ohcs/shared/textfold"
)

func TestAccents(t *testing.T) {
	for in, want := range map[string]string{"Vacinação": "Vacinacao", "Réhydratation": "Rehydratation", "niño": "nino", "plain": "plain", "": ""} {
		if got := textfold.Accents(in); got != want {
			t.Errorf("Accents(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestAccentsConcurrently: many goroutines at once each get their own
// answer (a shared transformer corrupts them or panics).
func TestAccentsConcurrently(t *testing.T) {
	words := []string{"Vacinação das crianças", "Réhydratation orale", "Niños y vacunación", "Maputo"}
	want := []string{"Vacinacao das criancas", "Rehydratation orale", "Ninos y vacunacion", "Maputo"}
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if got := textfold.Accents(words[i%4]); got != want[i%4] {
					t.Errorf("Accents(%q) = %q", words[i%4], got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
