// Package operations owns the list of every operation: the one place that
// says which handler serves which operation id, for the local server, the
// stack and the consistency test. Each function's main names its own
// operation's function alone, and links that handler alone.
package operations

import (
	"regexp"
	"strings"

	"ohcs/shared/account/accounthttp"
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/notification/notificationhttp"
	"ohcs/shared/people/peoplehttp"
	"ohcs/shared/platform"
	"ohcs/shared/population/populationhttp"
	"ohcs/shared/practitioner/practitionerhttp"
	"ohcs/shared/registry/registryhttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

// Folder is the folder of an operation's function under functions/: its id
// in kebab case ("getMe" → "get-me").
func Folder(op string) string {
	return strings.ToLower(upper.ReplaceAllString(op, "-$1"))
}

var upper = regexp.MustCompile(`([A-Z])`)

// All returns every operation by its id: the one list of which handler
// serves which operation (a map literal, so an id listed twice does not
// compile).
func All() platform.Registry {
	return platform.Registry{
		"getMe":                         accounthttp.GetMe(),
		"createPractitionerProfile":     practitionerhttp.CreatePractitionerProfile(),
		"getPractitioner":               practitionerhttp.GetPractitioner(),
		"updatePractitionerProfile":     practitionerhttp.UpdatePractitionerProfile(),
		"verifyPractitioner":            practitionerhttp.VerifyPractitioner(),
		"findPractitioners":             practitionerhttp.FindPractitioners(),
		"createBeneficiaryProfile":      peoplehttp.CreateBeneficiaryProfile(),
		"getBeneficiary":                peoplehttp.GetBeneficiary(),
		"updateBeneficiaryProfile":      peoplehttp.UpdateBeneficiaryProfile(),
		"createCaregiverProfile":        peoplehttp.CreateCaregiverProfile(),
		"getCaregiver":                  peoplehttp.GetCaregiver(),
		"createDonorProfile":            peoplehttp.CreateDonorProfile(),
		"grantCaregiverAccess":          peoplehttp.GrantCaregiverAccess(),
		"revokeCaregiverAccess":         peoplehttp.RevokeCaregiverAccess(),
		"respondToCareLink":             peoplehttp.RespondToCareLink(),
		"listCareLinks":                 peoplehttp.ListCareLinks(),
		"revokePractitionerAccess":      peoplehttp.RevokePractitionerAccess(),
		"listMyAccessLog":               peoplehttp.ListMyAccessLog(),
		"listAuditEvents":               peoplehttp.ListAuditEvents(),
		"placeAvailabilitySchedule":     schedulinghttp.PlaceAvailabilitySchedule(),
		"listSchedules":                 schedulinghttp.ListSchedules(),
		"listAvailableSlots":            schedulinghttp.ListAvailableSlots(),
		"makeAppointment":               schedulinghttp.MakeAppointment(),
		"getAppointment":                schedulinghttp.GetAppointment(),
		"listAppointments":              schedulinghttp.ListAppointments(),
		"cancelAppointment":             schedulinghttp.CancelAppointment(),
		"rescheduleAppointment":         schedulinghttp.RescheduleAppointment(),
		"updateAppointmentStatus":       schedulinghttp.UpdateAppointmentStatus(),
		"createCampaign":                donationhttp.CreateCampaign(),
		"getCampaign":                   donationhttp.GetCampaign(),
		"listCampaigns":                 donationhttp.ListCampaigns(),
		"makeDonation":                  donationhttp.MakeDonation(),
		"getDonation":                   donationhttp.GetDonation(),
		"listMyDonations":               donationhttp.ListMyDonations(),
		"recordDonationPayment":         donationhttp.RecordDonationPayment(),
		"createOrganization":            registryhttp.CreateOrganization(),
		"addMembership":                 registryhttp.AddMembership(),
		"removeMembership":              registryhttp.RemoveMembership(),
		"listOrganizationMembers":       registryhttp.ListOrganizationMembers(),
		"listMyMemberships":             registryhttp.ListMyMemberships(),
		"shareMedicalKnowledge":         knowledgehttp.ShareMedicalKnowledge(),
		"updateMedicalKnowledge":        knowledgehttp.UpdateMedicalKnowledge(),
		"retractMedicalKnowledge":       knowledgehttp.RetractMedicalKnowledge(),
		"getMedicalKnowledge":           knowledgehttp.GetMedicalKnowledge(),
		"searchMedicalKnowledge":        knowledgehttp.SearchMedicalKnowledge(),
		"sendNotification":              notificationhttp.SendNotification(),
		"getNotification":               notificationhttp.GetNotification(),
		"listMyNotifications":           notificationhttp.ListMyNotifications(),
		"markNotificationRead":          notificationhttp.MarkNotificationRead(),
		"updateNotificationPreferences": notificationhttp.UpdateNotificationPreferences(),
		"recordConsultation":            clinicalhttp.RecordConsultation(),
		"getConsultation":               clinicalhttp.GetConsultation(),
		"listConsultations":             clinicalhttp.ListConsultations(),
		"addHealthRecordEntry":          clinicalhttp.AddHealthRecordEntry(),
		"getHealthRecordEntry":          clinicalhttp.GetHealthRecordEntry(),
		"listHealthRecordEntries":       clinicalhttp.ListHealthRecordEntries(),
		"createTreatmentPlan":           clinicalhttp.CreateTreatmentPlan(),
		"updateTreatmentPlan":           clinicalhttp.UpdateTreatmentPlan(),
		"getTreatmentPlan":              clinicalhttp.GetTreatmentPlan(),
		"listTreatmentPlans":            clinicalhttp.ListTreatmentPlans(),
		"assessClinicalRisk":            clinicalhttp.AssessClinicalRisk(),
		"produceHealthReport":           clinicalhttp.ProduceHealthReport(),
		"getHealthReport":               clinicalhttp.GetHealthReport(),
		"listHealthReports":             clinicalhttp.ListHealthReports(),
		"exportHealthRecordFhir":        clinicalhttp.ExportHealthRecordFhir(),
		"producePopulationHealthReport": populationhttp.ProducePopulationHealthReport(),
	}
}
