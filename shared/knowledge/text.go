package knowledge

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/spanish"

	"ohcs/shared/textfold"
)

// Analyzed languages: each has a Snowball stemmer and a stop list. Other
// languages are indexed folded but unstemmed under "other".
var stemmers = map[string]func(*snowballstem.Env) bool{
	"en": english.Stem, "pt": portuguese.Stem, "fr": french.Stem, "es": spanish.Stem,
}

// Languages lists the index partitions: the stemmed languages and "other".
var Languages = []string{"en", "pt", "fr", "es", "other"}

// IndexLanguage is the index partition of a language tag.
func IndexLanguage(tag string) string {
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if _, ok := stemmers[primary]; ok {
		return primary
	}
	return "other"
}

var stop = map[string]map[string]bool{
	"en": set("a an and are as at be but by for from has have how i if in into is it its of on or our so than that the their them then there these they this to was we were what when which who will with you your can do does not no"),
	"pt": set("a o as os e é de do da dos das em no na nos nas um uma uns umas para por com sem que se ao aos à às ou mais mas como ser são foi pelo pela pelos pelas seu sua seus suas ele ela eles elas isso este esta não sim também já"),
	"fr": set("le la les un une des de du et est en dans pour par sur au aux avec sans que qui ne pas plus se ce cette ces son sa ses il elle ils elles ou mais comme être sont a été nous vous leur"),
	"es": set("el la los las un una unos unas y e es de del en para por con sin que se al o u más pero como ser son fue su sus lo le les no sí también ya este esta estos estas"),
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func fold(s string) string { return textfold.Accents(s) }

// Analyze turns text into index terms for a language partition: lower
// case, split on anything but letters and digits, stop words dropped,
// stemmed, accents folded. A word typed without its accents stems
// differently, so each word gives the stem of its written form and the stem
// of its folded form (so "vacinação" and "vacinacao" meet).
func Analyze(lang, text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	stem := stemmers[lang]
	env := snowballstem.NewEnv("")
	out := make([]string, 0, len(words))
	for _, w := range words {
		if len(w) > 60 || stop[lang][w] || stop[lang][fold(w)] {
			continue
		}
		if stem == nil {
			if w = fold(w); w != "" {
				out = append(out, w)
			}
			continue
		}
		env.SetCurrent(w)
		stem(env)
		written := fold(env.Current())
		out = append(out, written)
		if f := fold(w); f != w {
			env.SetCurrent(f)
			stem(env)
			if folded := env.Current(); folded != written {
				out = append(out, folded)
			}
		}
	}
	return out
}
