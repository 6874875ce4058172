package clinical

import "slices"

// Vitals are the NEWS2 parameters; nil means not given.
type Vitals struct {
	RespiratoryRate       *float64
	SpO2                  *float64
	SpO2Scale             int // 1 or 2; 0 means 1
	SupplementalOxygen    *bool
	SystolicBloodPressure *float64
	Pulse                 *float64
	Consciousness         string // alert, confusion, voice, pain, unresponsive; "" not given
	Temperature           *float64
}

// Missing names the vitals NEWS2 needs that are absent.
func (v Vitals) Missing() []string {
	var out []string
	if v.RespiratoryRate == nil {
		out = append(out, "respiratoryRate")
	}
	if v.SpO2 == nil {
		out = append(out, "spo2")
	}
	if v.SupplementalOxygen == nil {
		out = append(out, "supplementalOxygen")
	}
	if v.SystolicBloodPressure == nil {
		out = append(out, "systolicBloodPressure")
	}
	if v.Pulse == nil {
		out = append(out, "pulse")
	}
	if v.Consciousness == "" {
		out = append(out, "consciousness")
	}
	if v.Temperature == nil {
		out = append(out, "temperature")
	}
	return out
}

// Score is a NEWS2 result.
type Score struct {
	Total     int
	SubScores map[string]int
	Risk      string // low, lowMedium, medium, high
}

// band returns the score of the first band whose upper bound is not below v.
func band(v float64, bands []struct {
	upTo  float64
	score int
}) int {
	for _, b := range bands {
		if v <= b.upTo {
			return b.score
		}
	}
	return bands[len(bands)-1].score
}

type bands = []struct {
	upTo  float64
	score int
}

const inf = 1e9

// NEWS2 scores complete vitals as the Royal College of Physicians' National
// Early Warning Score 2 (2017) defines: per-parameter scores, their total,
// and the clinical risk (low 0–4, low-medium when any single parameter
// scores 3, medium 5–6, high 7 or more).
func NEWS2(v Vitals) Score {
	s := Score{SubScores: map[string]int{}}
	s.SubScores["respiratoryRate"] = band(*v.RespiratoryRate, bands{{8, 3}, {11, 1}, {20, 0}, {24, 2}, {inf, 3}})
	onOxygen := *v.SupplementalOxygen
	if v.SpO2Scale == 2 {
		// Scale 2, for hypercapnic respiratory failure: 88–92 scores 0, and
		// above 92 scores only on oxygen.
		spo2 := *v.SpO2
		switch {
		case spo2 <= 83:
			s.SubScores["spo2"] = 3
		case spo2 <= 85:
			s.SubScores["spo2"] = 2
		case spo2 <= 87:
			s.SubScores["spo2"] = 1
		case spo2 <= 92 || !onOxygen:
			s.SubScores["spo2"] = 0
		case spo2 <= 94:
			s.SubScores["spo2"] = 1
		case spo2 <= 96:
			s.SubScores["spo2"] = 2
		default:
			s.SubScores["spo2"] = 3
		}
	} else {
		s.SubScores["spo2"] = band(*v.SpO2, bands{{91, 3}, {93, 2}, {95, 1}, {inf, 0}})
	}
	s.SubScores["supplementalOxygen"] = 0
	if onOxygen {
		s.SubScores["supplementalOxygen"] = 2
	}
	s.SubScores["systolicBloodPressure"] = band(*v.SystolicBloodPressure, bands{{90, 3}, {100, 2}, {110, 1}, {219, 0}, {inf, 3}})
	s.SubScores["pulse"] = band(*v.Pulse, bands{{40, 3}, {50, 1}, {90, 0}, {110, 1}, {130, 2}, {inf, 3}})
	s.SubScores["consciousness"] = 0
	if v.Consciousness != "alert" {
		s.SubScores["consciousness"] = 3
	}
	s.SubScores["temperature"] = band(*v.Temperature, bands{{35.0, 3}, {36.0, 1}, {38.0, 0}, {39.0, 1}, {inf, 2}})
	red := false
	for _, sc := range s.SubScores {
		s.Total += sc
		red = red || sc == 3
	}
	switch {
	case s.Total >= 7:
		s.Risk = "high"
	case s.Total >= 5:
		s.Risk = "medium"
	case red:
		s.Risk = "lowMedium"
	default:
		s.Risk = "low"
	}
	return s
}

// Consciousness levels accepted.
var Consciousness = []string{"alert", "confusion", "voice", "pain", "unresponsive"}

// ValidConsciousness reports whether c is a level.
func ValidConsciousness(c string) bool { return slices.Contains(Consciousness, c) }

// VitalCodes are the LOINC codes of the vital signs, for reports and NEWS2.
var VitalCodes = map[string][]string{
	"pulse":                  {"8867-4"},
	"respiratoryRate":        {"9279-1"},
	"spo2":                   {"59408-5", "2708-6"},
	"systolicBloodPressure":  {"8480-6"},
	"diastolicBloodPressure": {"8462-4"},
	"temperature":            {"8310-5"},
	"weight":                 {"29463-7"},
	"height":                 {"8302-2"},
	"bmi":                    {"39156-5"},
}
