package clinical

import (
	"time"
)

// FHIRInputs are a beneficiary's data for an export.
type FHIRInputs struct {
	Patient       FHIRPatient
	Entries       []Entry
	Consultations []Consultation
	Plans         []Plan
	Appointments  []FHIRAppointment
	Now           time.Time
}

// FHIRPatient is the demographic part of the export.
type FHIRPatient struct {
	ID, Name, Sex, BirthDate, Phone, Email string
}

// FHIRAppointment is an appointment as the export needs it.
type FHIRAppointment struct {
	ID, Status string
	Start, End time.Time
}

var codeSystems = map[string]string{
	"icd10":  "http://hl7.org/fhir/sid/icd-10",
	"loinc":  "http://loinc.org",
	"snomed": "http://snomed.info/sct",
}

func coding(c *Code) map[string]any {
	if c == nil {
		return map[string]any{"text": "unspecified"}
	}
	system, ok := codeSystems[c.System]
	if !ok {
		system = "urn:ohcs:code-system:" + c.System
	}
	cd := map[string]any{"system": system, "code": c.Code}
	if c.Display != "" {
		cd["display"] = c.Display
	}
	out := map[string]any{"coding": []any{cd}}
	if c.Display != "" {
		out["text"] = c.Display
	}
	return out
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FHIRBundle builds the beneficiary's record as a FHIR R4 Bundle of type
// collection: Patient, Encounter, Condition, AllergyIntolerance,
// MedicationStatement, Immunization, Observation, CarePlan,
// RiskAssessment and Appointment resources.
func FHIRBundle(in FHIRInputs) map[string]any {
	patient := "Patient/" + in.Patient.ID
	subject := map[string]any{"reference": patient}
	var entries []any
	add := func(kind, id string, r map[string]any) {
		r["resourceType"], r["id"] = kind, id
		entries = append(entries, map[string]any{"fullUrl": "urn:ohcs:" + kind + ":" + id, "resource": r})
	}
	p := map[string]any{"name": []any{map[string]any{"text": in.Patient.Name}}, "gender": in.Patient.Sex}
	if in.Patient.BirthDate != "" {
		p["birthDate"] = in.Patient.BirthDate
	}
	var telecom []any
	if in.Patient.Phone != "" {
		telecom = append(telecom, map[string]any{"system": "phone", "value": in.Patient.Phone})
	}
	if in.Patient.Email != "" {
		telecom = append(telecom, map[string]any{"system": "email", "value": in.Patient.Email})
	}
	if telecom != nil {
		p["telecom"] = telecom
	}
	add("Patient", in.Patient.ID, p)
	for _, c := range in.Consultations {
		add("Encounter", c.ID, map[string]any{"status": "finished", "subject": subject,
			"class":  map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
			"period": map[string]any{"start": ts(c.CreatedAt)}})
		for i, rx := range c.Prescriptions {
			add("MedicationStatement", c.ID+"-rx"+itoa(i), map[string]any{"status": "active", "subject": subject,
				"medicationCodeableConcept": map[string]any{"text": rx.Medication},
				"dosage":                    []any{map[string]any{"text": rx.Dose + ", " + rx.Frequency}},
				"effectiveDateTime":         ts(c.CreatedAt)})
		}
	}
	for _, e := range in.Entries {
		switch e.Kind {
		case "condition":
			status := "active"
			if e.Status == "resolved" || e.Status == "inactive" {
				status = e.Status
			}
			add("Condition", e.ID, map[string]any{"subject": subject, "code": coding(e.Code), "recordedDate": ts(e.RecordedAt),
				"clinicalStatus": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}}}})
		case "allergy":
			add("AllergyIntolerance", e.ID, map[string]any{"patient": subject, "code": coding(e.Code), "recordedDate": ts(e.RecordedAt)})
		case "medication":
			add("MedicationStatement", e.ID, map[string]any{"status": "active", "subject": subject, "medicationCodeableConcept": coding(e.Code),
				"effectiveDateTime": ts(e.RecordedAt)})
		case "immunization":
			add("Immunization", e.ID, map[string]any{"status": "completed", "patient": subject, "vaccineCode": coding(e.Code),
				"occurrenceDateTime": ts(e.RecordedAt)})
		case "observation":
			o := map[string]any{"status": "final", "subject": subject, "code": coding(e.Code), "effectiveDateTime": ts(e.RecordedAt)}
			if e.Value != nil {
				o["valueQuantity"] = map[string]any{"value": *e.Value, "unit": e.Unit, "system": "http://unitsofmeasure.org", "code": e.Unit}
			}
			add("Observation", e.ID, o)
		case "riskAssessment":
			ra := map[string]any{"status": "final", "subject": subject, "occurrenceDateTime": ts(e.RecordedAt),
				"method": map[string]any{"text": "NEWS2"}}
			if e.Code != nil {
				ra["prediction"] = []any{map[string]any{"qualitativeRisk": map[string]any{"text": e.Code.Code}}}
			}
			add("RiskAssessment", e.ID, ra)
		case "note":
			// Free-text notes have no FHIR resource of their own in this
			// export.
		}
	}
	for _, pl := range in.Plans {
		cp := map[string]any{"status": pl.Status, "intent": "plan", "subject": subject, "title": pl.Title}
		if pl.Start != "" {
			period := map[string]any{"start": pl.Start}
			if pl.End != "" {
				period["end"] = pl.End
			}
			cp["period"] = period
		}
		add("CarePlan", pl.ID, cp)
	}
	for _, a := range in.Appointments {
		status := map[string]string{"booked": "booked", "cancelled": "cancelled", "completed": "fulfilled", "noShow": "noshow"}[a.Status]
		add("Appointment", a.ID, map[string]any{"status": status, "start": ts(a.Start), "end": ts(a.End),
			"participant": []any{map[string]any{"actor": subject, "status": "accepted"}}})
	}
	return map[string]any{"resourceType": "Bundle", "type": "collection", "timestamp": ts(in.Now), "entry": entries}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
