// Package textfold removes accents from text ("Vacinação" → "Vacinacao"),
// for matching names and words the way people type them. It is safe for
// concurrent use: a transform.Transformer keeps state between calls, so
// each call takes its own from a pool.
package textfold

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Accents returns s without its combining marks; s itself if it is not
// valid text.
func Accents(s string) string {
	folder := folders.Get().(transform.Transformer)
	defer folders.Put(folder)
	out, _, err := transform.String(folder, s)
	if err != nil {
		return s
	}
	return out
}

// Key folds a name for matching: lower case, without accents, its words
// one space apart ("  São  Paulo " and "sao paulo" fold alike).
func Key(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(Accents(s))), " ")
}
