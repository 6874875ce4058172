package clinical_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"ohcs/shared/clinical"
)

// TestShapesAreTheirPatterns: the hand-written code shapes accept exactly
// what their patterns accept, on the edges and on 200,000 random strings
// of the alphabets that matter.
func TestShapesAreTheirPatterns(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern *regexp.Regexp
		check   func(string) bool
		edges   []string
	}{
		{"ICD-10", regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`), clinical.IsICD10,
			[]string{"", "A0", "A00", "A0B", "a00", "A00.", "A00.1", "A00.1234", "A00.12345", "E11.9", "J45.909", "00A", "A00-1", "AA0"}},
		{"LOINC", regexp.MustCompile(`^[0-9]{1,7}-[0-9]$`), clinical.IsLOINC,
			[]string{"", "-1", "1-", "1-1", "8867-4", "1234567-8", "12345678-9", "12-34", "a-1", "1-a", "11"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.edges {
				if tc.check(s) != tc.pattern.MatchString(s) {
					t.Errorf("%q: got %v; the pattern says %v", s, tc.check(s), tc.pattern.MatchString(s))
				}
			}
			const alphabet = "A Z0 9.-aB5"
			r := rand.New(rand.NewPCG(1, 2))
			for range 200_000 {
				b := make([]byte, r.IntN(11))
				for i := range b {
					b[i] = alphabet[r.IntN(len(alphabet))]
				}
				if s := string(b); tc.check(s) != tc.pattern.MatchString(s) {
					t.Fatalf("%q: got %v; the pattern says %v", s, tc.check(s), tc.pattern.MatchString(s))
				}
			}
		})
	}
}
