// Package operations owns the list of every domain's registry: the one
// place that says which handler serves which operation id, for the local
// server and the consistency test. Each function's main imports only its own
// domain's registry.
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

// Registries lists the registry of every domain.
func Registries() []platform.Registry {
	return []platform.Registry{
		accounthttp.Registry(),
		practitionerhttp.Registry(),
		peoplehttp.Registry(),
		schedulinghttp.Registry(),
		donationhttp.Registry(),
		registryhttp.Registry(),
		knowledgehttp.Registry(),
		notificationhttp.Registry(),
		clinicalhttp.Registry(),
		populationhttp.Registry(),
	}
}

// All returns every registered operation in one registry.
func All() (platform.Registry, error) {
	return platform.Merge(Registries()...)
}
