package knowledge_test

import (
	"slices"
	"testing"

	"ohcs/shared/knowledge"
)

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		lang, a, b string
	}{
		{"en", "vaccinations", "vaccination"},
		{"en", "Running", "run"},
		{"pt", "vacinação", "vacinações"},
		{"pt", "vacinação", "vacinacao"},
		{"fr", "enfants", "enfant"},
		{"es", "vacunaciones", "vacunación"},
	} {
		a, b := knowledge.Analyze(tc.lang, tc.a), knowledge.Analyze(tc.lang, tc.b)
		if !slices.ContainsFunc(a, func(t string) bool { return slices.Contains(b, t) }) {
			t.Errorf("%s: %q → %v and %q → %v; want a common term", tc.lang, tc.a, a, tc.b, b)
		}
	}
	if got := knowledge.Analyze("en", "the and of"); len(got) != 0 {
		t.Errorf("stop words kept: %v", got)
	}
	if knowledge.IndexLanguage("pt-MZ") != "pt" || knowledge.IndexLanguage("sw") != "other" {
		t.Errorf("IndexLanguage")
	}
}
