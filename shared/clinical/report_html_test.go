package clinical_test

import (
	"strings"
	"testing"

	"ohcs/shared/clinical"
)

// TestReportPageEscapesTheRecord: the printable report shows each section
// and escapes every value of the record: a summary or a name written as
// markup is shown, never run.
func TestReportPageEscapesTheRecord(t *testing.T) {
	r := clinical.Report{PeriodStart: "2027-01-01", PeriodEnd: "2027-01-31", Sections: clinical.Sections{
		Demographics:     map[string]any{"fullName": `Ana <script>alert(1)</script>`, "birthDate": "1990-03-04"},
		ActiveConditions: []map[string]any{{"code": map[string]any{"code": "B54", "display": "Malaria"}}},
		Consultations:    []map[string]any{{"at": "2027-01-02", "summary": `<img src=x onerror=alert(1)>`}},
		Vitals:           []clinical.VitalSeries{{Code: "8867-4", Display: "Heart rate", Unit: "/min", Points: []clinical.Point{{Value: 80}, {Value: 92}}, Latest: 92, Min: 80, Max: 92}},
	}}
	var b strings.Builder
	if err := clinical.RenderHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"Ana &lt;script&gt;", "B54 Malaria", "&lt;img src=x", "<svg", "<polyline", "latest 92, min 80, max 92", "<li>None recorded</li>", "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, never := range []string{"<script>", "<img"} {
		if strings.Contains(page, never) {
			t.Errorf("the page carries %q unescaped", never)
		}
	}
}
