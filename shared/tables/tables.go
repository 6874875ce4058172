// Package tables owns the definitions of the DynamoDB tables: their logical
// names, keys, secondary indexes and expiry attributes. The CDK stack creates
// them from here, the local server and the tests create them in the embedded
// store from here, and the stores take their key names from here.
package tables

// Key attribute names shared by every table.
const (
	PK     = "pk"
	SK     = "sk"
	GSI1PK = "gsi1pk"
	GSI1SK = "gsi1sk"
	GSI2PK = "gsi2pk"
	GSI2SK = "gsi2sk"
)

// Index is a global secondary index projecting all attributes.
type Index struct {
	Name         string
	PartitionKey string
	SortKey      string
}

// Table is one DynamoDB table: string keys, on-demand billing.
type Table struct {
	// Name is the logical name; the physical name comes from the config.
	Name         string
	PartitionKey string
	SortKey      string
	Indexes      []Index
	// TTLAttribute, when set, holds the expiry time in epoch seconds.
	TTLAttribute string
}

// GSI1 is the first global secondary index of a table.
var GSI1 = Index{Name: "gsi1", PartitionKey: GSI1PK, SortKey: GSI1SK}

// GSI2 is the second global secondary index of a table.
var GSI2 = Index{Name: "gsi2", PartitionKey: GSI2PK, SortKey: GSI2SK}

// The tables of OHCS, one per domain plus the platform's own.
var (
	// Practitioners holds practitioner profiles, the sub-to-profile
	// uniqueness rows and the search facets of verified practitioners.
	Practitioners = Table{Name: "practitioners", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Idempotency holds the responses of requests made with an
	// Idempotency-Key, until they expire.
	Idempotency = Table{Name: "idempotency", PartitionKey: PK, SortKey: SK, TTLAttribute: "expiresAt"}
	// People holds beneficiaries, caregivers, donors, care links and
	// practitioner revocations.
	People = Table{Name: "people", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Audit holds the append-only audit events, by beneficiary and by actor.
	Audit = Table{Name: "audit", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Scheduling holds schedules, slot claims, per-day booking counts,
	// appointments (by practitioner in gsi1, by beneficiary in gsi2) and
	// each beneficiary's booked intervals.
	Scheduling = Table{Name: "scheduling", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1, GSI2}}
	// Outbox holds the messages that leave the system (notices, reminders),
	// written in the transaction of the change that causes them; pending
	// ones are indexed by due time in gsi1.
	Outbox = Table{Name: "outbox", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Donations holds campaigns with their totals, gifts (by donor in
	// gsi1), each campaign's donor markers and the yearly receipt counters.
	Donations = Table{Name: "donations", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Knowledge holds articles (latest and every version), the inverted
	// index of their terms and its statistics.
	Knowledge = Table{Name: "knowledge", PartitionKey: PK, SortKey: SK}
	// Notifications holds notices with their counters, deliveries (one per
	// recipient and channel), inboxes (by time in gsi1) and preferences.
	Notifications = Table{Name: "notifications", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Clinical holds consultations, health record entries and treatment
	// plans, listed per beneficiary in gsi1.
	Clinical = Table{Name: "clinical", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
	// Registry holds organisations and memberships (by member in gsi1).
	Registry = Table{Name: "registry", PartitionKey: PK, SortKey: SK, Indexes: []Index{GSI1}}
)

// In tells whether ts holds t (by name: a table's definition holds
// slices, so tables do not compare with ==).
func (t Table) In(ts []Table) bool {
	for _, u := range ts {
		if u.Name == t.Name {
			return true
		}
	}
	return false
}

// All returns every table.
func All() []Table {
	return []Table{Practitioners, People, Audit, Scheduling, Donations, Registry, Knowledge, Notifications, Clinical, Outbox, Idempotency}
}
