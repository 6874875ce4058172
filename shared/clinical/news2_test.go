package clinical_test

import (
	"testing"

	"ohcs/shared/clinical"
)

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

func TestNEWS2(t *testing.T) {
	healthy := clinical.Vitals{RespiratoryRate: f(16), SpO2: f(97), SupplementalOxygen: b(false), SystolicBloodPressure: f(120), Pulse: f(70), Consciousness: "alert", Temperature: f(37)}
	for _, tc := range []struct {
		name   string
		mutate func(*clinical.Vitals)
		total  int
		risk   string
	}{
		{"all normal", func(*clinical.Vitals) {}, 0, "low"},
		{"one parameter at 3 is low-medium", func(v *clinical.Vitals) { v.RespiratoryRate = f(26) }, 3, "lowMedium"},
		{"new confusion", func(v *clinical.Vitals) { v.Consciousness = "confusion" }, 3, "lowMedium"},
		{"medium", func(v *clinical.Vitals) {
			v.Pulse = f(115)
			v.Temperature = f(38.5)
			v.SystolicBloodPressure = f(105)
			v.SpO2 = f(95)
		}, 5, "medium"},
		{"high", func(v *clinical.Vitals) { v.RespiratoryRate = f(25); v.SpO2 = f(90); v.SupplementalOxygen = b(true) }, 8, "high"},
		{"band edges", func(v *clinical.Vitals) { v.RespiratoryRate = f(8); v.Pulse = f(40); v.Temperature = f(35.0) }, 9, "high"},
		{"scale 2 at 90 on air scores 0", func(v *clinical.Vitals) { v.SpO2Scale = 2; v.SpO2 = f(90) }, 0, "low"},
		{"scale 2 at 97 on oxygen scores 3 + 2", func(v *clinical.Vitals) { v.SpO2Scale = 2; v.SpO2 = f(97); v.SupplementalOxygen = b(true) }, 5, "medium"},
		{"hypotension", func(v *clinical.Vitals) { v.SystolicBloodPressure = f(90) }, 3, "lowMedium"},
		{"hypertension 220", func(v *clinical.Vitals) { v.SystolicBloodPressure = f(220) }, 3, "lowMedium"},
		{"fever 39.1", func(v *clinical.Vitals) { v.Temperature = f(39.1) }, 2, "low"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := healthy
			tc.mutate(&v)
			got := clinical.NEWS2(v)
			if got.Total != tc.total || got.Risk != tc.risk {
				t.Errorf("got total %d, risk %s (%v); want %d, %s", got.Total, got.Risk, got.SubScores, tc.total, tc.risk)
			}
		})
	}
	if m := (clinical.Vitals{Pulse: f(80)}).Missing(); len(m) != 6 {
		t.Errorf("missing: %v", m)
	}
}
