package population

import "strings"

// Chapter is a chapter of ICD-10 (WHO, 2019 edition).
type Chapter struct {
	Roman string
	// Start and End are the first and last three-character categories.
	Start, End string
	Title      string
}

// Chapters are ordered by their first category; a code belongs to the last
// chapter starting at or before it (codes in the gaps between chapters,
// such as D49, fall into the chapter before the gap).
var Chapters = []Chapter{
	{"I", "A00", "B99", "Certain infectious and parasitic diseases"},
	{"II", "C00", "D48", "Neoplasms"},
	{"III", "D50", "D89", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism"},
	{"IV", "E00", "E90", "Endocrine, nutritional and metabolic diseases"},
	{"V", "F00", "F99", "Mental and behavioural disorders"},
	{"VI", "G00", "G99", "Diseases of the nervous system"},
	{"VII", "H00", "H59", "Diseases of the eye and adnexa"},
	{"VIII", "H60", "H95", "Diseases of the ear and mastoid process"},
	{"IX", "I00", "I99", "Diseases of the circulatory system"},
	{"X", "J00", "J99", "Diseases of the respiratory system"},
	{"XI", "K00", "K93", "Diseases of the digestive system"},
	{"XII", "L00", "L99", "Diseases of the skin and subcutaneous tissue"},
	{"XIII", "M00", "M99", "Diseases of the musculoskeletal system and connective tissue"},
	{"XIV", "N00", "N99", "Diseases of the genitourinary system"},
	{"XV", "O00", "O99", "Pregnancy, childbirth and the puerperium"},
	{"XVI", "P00", "P96", "Certain conditions originating in the perinatal period"},
	{"XVII", "Q00", "Q99", "Congenital malformations, deformations and chromosomal abnormalities"},
	{"XVIII", "R00", "R99", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified"},
	{"XIX", "S00", "T98", "Injury, poisoning and certain other consequences of external causes"},
	{"XXII", "U00", "U85", "Codes for special purposes"},
	{"XX", "V01", "Y98", "External causes of morbidity and mortality"},
	{"XXI", "Z00", "Z99", "Factors influencing health status and contact with health services"},
}

var chapterByRoman = func() map[string]Chapter {
	m := map[string]Chapter{}
	for _, c := range Chapters {
		m[c.Roman] = c
	}
	return m
}()

// ChapterOf answers the chapter of an ICD-10 code such as "J45.909".
func ChapterOf(code string) (Chapter, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) < 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' {
		return Chapter{}, false
	}
	cat := code[:3]
	found := false
	var ch Chapter
	for _, c := range Chapters {
		if c.Start > cat {
			break
		}
		ch, found = c, true
	}
	return ch, found
}
