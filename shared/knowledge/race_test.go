package knowledge_test

import (
	"slices"
	"sync"
	"testing"

	"ohcs/shared/knowledge"
)

// TestAnalyzeConcurrently: analysis is safe from many goroutines at once
// (the local server serves requests concurrently); each gets the terms it
// would get alone.
func TestAnalyzeConcurrently(t *testing.T) {
	texts := []string{"Vacinação das crianças em Maputo", "Réhydratation orale à la maison", "Vaccinations for children", "Niños y vacunación"}
	want := map[string][]string{}
	for _, s := range texts {
		want[s] = knowledge.Analyze("pt", s)
	}
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := texts[i%len(texts)]
			for range 50 {
				if got := knowledge.Analyze("pt", s); !slices.Equal(got, want[s]) {
					t.Errorf("Analyze(%q) = %v; want %v", s, got, want[s])
					return
				}
			}
		}()
	}
	wg.Wait()
}
