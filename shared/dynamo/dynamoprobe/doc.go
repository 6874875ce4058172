// Package dynamoprobe instruments a DynamoDB client for the tests, the
// benchmarks and the local server: it counts requests by API operation
// (Counter), makes chosen requests fail (Faults) and holds a function to
// the grants of its role (Grants). No function deployed to Lambda links it
// (TestFunctionsLinkNoProbes).
package dynamoprobe
