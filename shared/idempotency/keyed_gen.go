// Code generated from openapi/ohcs.yaml by `make generate`; DO NOT EDIT.

package idempotency

// Keyed are the operations that take the Idempotency-Key header.
var Keyed = map[string]bool{
	"makeAppointment":  true,
	"makeDonation":     true,
	"sendNotification": true,
}
