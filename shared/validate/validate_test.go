package validate

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestShapesAreTheirPatterns holds each hand-written check against the
// regular expression it stands for, on random strings drawn from the
// characters that matter to it and on the edges.
func TestShapesAreTheirPatterns(t *testing.T) {
	upper2 := func(v string) bool { return all(v, 2, 2, isUpper) }
	upper3 := func(v string) bool { return all(v, 3, 3, isUpper) }
	for _, tc := range []struct {
		name     string
		pattern  string
		check    func(string) bool
		alphabet string
		edges    []string
	}{
		{"phone", `^\+[1-9][0-9]{6,14}$`, isPhone, "+0123456789a ", []string{"+1234567", "+123456", "+0234567", "+123456789012345", "+1234567890123456"}},
		{"email", `^[^@\s]+@[^@\s]+\.[^@\s]+$`, isEmail, "ab.@ \t\n\r\f\vé", []string{"a@b.c", "a@.c", "a@b.", "@b.c", "a@@b.c", "a@b..c", "a b@c.d", "a@b.c\n", "é@ü.ç"}},
		{"language", `^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`, isLanguageTag, "aZ9-_", []string{"en", "pt-MZ", "e", "engl", "en-", "-en", "en--MZ", "en-123456789", "en-12345678", "zh-Hant-TW"}},
		{"country", `^[A-Z]{2}$`, upper2, "AZaz1", []string{"MZ", "mz", "M", "MZA"}},
		{"currency", `^[A-Z]{3}$`, upper3, "AZa1", []string{"USD", "usd", "US", "USDT"}},
		{"time zone", `^[A-Za-z0-9_+/-]+$`, isZoneName, "aZ9_+/-. ", []string{"", "Africa/Maputo", "Etc/GMT+2", "America/Argentina/Buenos_Aires", "A B"}},
		{"id", `^[0-9A-Za-z_-]{1,64}$`, IsID, "aZ9_-./", []string{"", "01JB", "a/b", string(make([]byte, 64)), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}},
	} {
		re := regexp.MustCompile(tc.pattern)
		r := rand.New(rand.NewPCG(1, 2))
		alphabet := []rune(tc.alphabet)
		samples := tc.edges
		for range 100000 {
			n := r.IntN(18)
			b := make([]rune, n)
			for i := range b {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
			samples = append(samples, string(b))
		}
		matched := 0
		for _, s := range samples {
			want := re.MatchString(s)
			if got := tc.check(s); got != want {
				t.Errorf("%s %q: %v; the pattern says %v", tc.name, s, got, want)
			}
			if want {
				matched++
			}
		}
		if matched == 0 {
			t.Errorf("%s: no sample matched: the comparison proves nothing", tc.name)
		}
	}
}
