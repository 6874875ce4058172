package knowledgehttp_test

import (
	"testing"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestKnowledgeHandlers sends API Gateway events straight to the knowledge
// handlers: anonymous search and reading, validation, and sharing only by
// a verified practitioner.
func TestKnowledgeHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	article := `{"title":"Malaria","summary":"Signs and care","body":"Fever and chills.","language":"en","audience":"public"}`
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "search without a query", Op: "searchMedicalKnowledge", Method: "GET", Path: "/v1/knowledge/search", Status: 400, Field: "q"},
		{Name: "search with a bad language", Op: "searchMedicalKnowledge", Method: "GET", Path: "/v1/knowledge/search",
			Query: map[string]string{"q": "malaria", "language": "not a tag"}, Status: 400, Field: "language"},
		{Name: "anonymous search", Op: "searchMedicalKnowledge", Method: "GET", Path: "/v1/knowledge/search",
			Query: map[string]string{"q": "malaria"}, Status: 200},
		{Name: "anonymous read of an absent article", Op: "getMedicalKnowledge", Method: "GET", Path: "/v1/knowledge/A1",
			Params: map[string]string{"articleId": "A1"}, Status: 404},
		{Name: "share without a profile", Op: "shareMedicalKnowledge", Method: "POST", Path: "/v1/knowledge", Caller: lambdahttptest.Practitioner, Body: article, Status: 403},
		{Name: "share by a beneficiary", Op: "shareMedicalKnowledge", Method: "POST", Path: "/v1/knowledge",
			Caller: lambdahttptest.Beneficiary, Body: article, Status: 403},
		{Name: "share anonymously", Op: "shareMedicalKnowledge", Method: "POST", Path: "/v1/knowledge", Body: article, Status: 401},
	})
}
