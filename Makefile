# OHCS — the index of what can be done. `make help` lists it.

GO        ?= go
# The generator of the typed client (make generate; TestClientIsTheDocuments).
OAPI_CODEGEN := github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
NPM       ?= npm
TOOLS     := tools/node_modules/.bin
FUNCTIONS := $(wildcard functions/*) $(wildcard events/*)
# Fuzz budgets are execution counts, not durations: a duration races Go
# 1.26's fuzz coordinator at its deadline under load (golang/go#75804) and
# fails with "context deadline exceeded" and no crasher.
FUZZTIME  ?= 20000x
# Operations are fuzzed through the local server: fewer, slower runs.
FUZZOPS   ?= 3000x

# The Lambda runtime interface emulator, for Lambda mode (no Docker needed).
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
RIE         := build/bin/aws-lambda-rie
# The smoke subset make test runs in Lambda mode.
LAMBDA_SMOKE ?= TestPeopleAcceptance|TestBookingRace|TestClinicalCare
# What make test runs in the template-driven Lambda mode: the matrix (every
# operation), the notification, reminder and donation scenarios.
STACK_SCENARIOS ?= TestStackMode|TestLambdaMode|TestAuthorizationMatrix|TestNotificationAcceptance|TestBookingCancellationReminder|TestDonationAcceptance
STACK_TEMPLATE  := $(CURDIR)/cdk.out/Ohcs.template.json

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run the whole API locally on 127.0.0.1:8080 (OHCS_ADDR overrides)
	$(GO) run ./local

.PHONY: test
test: check lint vet unit test-dynamodb-local test-lambda-smoke fuzz-short test-infra synth test-stack ## Run every test: the fast check, lint, vet, unit, store, handler, end-to-end (embedded store and Amazon's DynamoDB Local) and stack tests, a Lambda-mode smoke run, a short fuzz, an offline synth, the scenarios against the synthesized template

.PHONY: unit
unit: $(TOOLS)/prism ## Go tests (unit, store, handler, end-to-end, the contract under load through Prism)
	OHCS_REQUIRE_PRISM=1 $(GO) test -count=1 ./...

.PHONY: check
check: ## The fast inner loop (under two minutes): vet, staticcheck, the goimports layout, the short tests of shared/ under the race detector
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@out=$$($(GO) tool goimports -l -local ohcs $$(git ls-files '*.go' | grep -v '^infra/')); if [ -n "$$out" ]; then echo "not goimports-formatted: $$out"; exit 1; fi
	$(GO) test -short -race -count=1 ./shared/...

.PHONY: vet
vet: ## go vet and gofmt
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './tools/*')); \
		if [ -n "$$unformatted" ]; then echo "not gofmt-ed: $$unformatted"; exit 1; fi

DYNAMODB_LOCAL := tools/node_modules/amplify-dynamodb-simulator/emulator/DynamoDBLocal.jar

$(TOOLS)/redocly $(TOOLS)/cdk $(TOOLS)/prism $(DYNAMODB_LOCAL): tools/package.json tools/package-lock.json
	$(NPM) ci --prefix tools --no-audit --no-fund
	@touch $(TOOLS)/redocly $(TOOLS)/cdk $(TOOLS)/prism $(DYNAMODB_LOCAL)

.PHONY: test-dynamodb-local
test-dynamodb-local: $(DYNAMODB_LOCAL) ## The end-to-end suite and every package's own store tests against Amazon's DynamoDB Local (needs Java 17)
	scripts/with-dynamodb-local.sh $(GO) test -count=1 ./local/server ./shared/...

.PHONY: login
login: ## Sign in to a deployed user pool (authorization code with PKCE, loopback callback) and print an access token
	$(GO) run ./scripts/login

.PHONY: lint
lint: $(TOOLS)/redocly ## Lint the OpenAPI document
	$(TOOLS)/redocly lint openapi/ohcs.yaml

.PHONY: fuzz-short
fuzz-short: ## Fuzz request decoding, cursor opening and every operation's body briefly
	$(GO) test -run='^$$' -fuzz=FuzzUnmarshal -fuzztime=$(FUZZTIME) ./shared/jsonio
	$(GO) test -run='^$$' -fuzz=FuzzOpen -fuzztime=$(FUZZTIME) ./shared/cursor
	$(GO) test -run='^$$' -fuzz=FuzzOperations -fuzztime=$(FUZZOPS) ./local/server

.PHONY: fuzz
fuzz: ## Fuzz every target for longer (a million runs each, 200,000 bodies through the server)
	$(MAKE) fuzz-short FUZZTIME=1000000x FUZZOPS=200000x

$(RIE):
	GOBIN=$(CURDIR)/build/bin $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

.PHONY: run-lambda
run-lambda: $(RIE) ## Run the API locally with every function as its own binary under the Lambda runtime interface emulator
	OHCS_LAMBDA_RIE=$(CURDIR)/$(RIE) $(GO) run ./local

.PHONY: test-lambda
test-lambda: $(RIE) ## Run the end-to-end suite against Lambda mode (every function under the emulator)
	OHCS_LAMBDA_RIE=$(CURDIR)/$(RIE) $(GO) test -count=1 -timeout 30m ./local/server ./local/lambdamode

.PHONY: test-lambda-smoke
test-lambda-smoke: $(RIE) ## A smoke subset of the end-to-end suite in Lambda mode, and the invoker's own test
	OHCS_LAMBDA_RIE=$(CURDIR)/$(RIE) $(GO) test -count=1 -run '$(LAMBDA_SMOKE)|TestInvoker|TestLambdaMode' ./local/server ./local/lambdamode

.PHONY: run-stack
run-stack: synth $(RIE) ## Run the API locally from the synthesized template (cdk.out): its functions, variables, grants, tables, body, schedules, topic and sign-up trigger
	OHCS_LAMBDA_RIE=$(CURDIR)/$(RIE) OHCS_STACK_TEMPLATE=$(STACK_TEMPLATE) $(GO) run ./local

.PHONY: test-stack
test-stack: synth $(RIE) ## The matrix, notification, reminder and donation scenarios against the synthesized template (make run-stack's mode)
	OHCS_LAMBDA_RIE=$(CURDIR)/$(RIE) OHCS_STACK_TEMPLATE=$(STACK_TEMPLATE) $(GO) test -count=1 -timeout 20m -run '$(STACK_SCENARIOS)' ./local/server

.PHONY: generate
generate: ## Write the code generated from the OpenAPI document (the roles of each operation, shared/auth/roles_gen.go; the operations that take an Idempotency-Key, shared/idempotency/keyed_gen.go; the typed client, openapi/ohcsclient)
	$(GO) run ./openapi/generate
	$(GO) run $(OAPI_CODEGEN) -config openapi/ohcsclient/oapi-codegen.yaml openapi/ohcs.yaml

.PHONY: build
build: ## Build every Lambda function, operations and events (linux/arm64 bootstrap), into build/<function>/
	@for f in $(FUNCTIONS); do \
		echo "build $$f"; \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags="-s -w" \
			-o build/$$(basename $$f)/bootstrap ./$$f || exit 1; \
	done

# CDK runs offline: no account is needed to synthesize.
CDK_ENV := JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1 CDK_DISABLE_VERSION_CHECK=1 CDK_DEFAULT_REGION=$${AWS_REGION:-us-east-1}

.PHONY: test-infra
test-infra: ## Test the CDK stack (assertions, cdk-nag, least privilege, resource budget)
	cd infra && $(GO) vet ./... && $(GO) test -count=1 ./...

.PHONY: synth
synth: build $(TOOLS)/cdk ## Synthesize the CloudFormation template into cdk.out/ (offline; cdk-nag errors fail it)
	$(CDK_ENV) $(TOOLS)/cdk synth --quiet --no-notices

.PHONY: deploy
deploy: build $(TOOLS)/cdk ## Deploy to the AWS account and region of the environment (AWS_PROFILE or credentials, AWS_REGION)
	@test -n "$$AWS_REGION" || { echo "set AWS_REGION"; exit 1; }
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1 CDK_DEFAULT_REGION=$$AWS_REGION $(TOOLS)/cdk deploy --require-approval broadening

.PHONY: bench
bench: synth $(RIE) ## Benchmarks (operations, handlers, load at 1/8/32 connections on both stores, request levels, the bill idle and busy, cold starts, sizes), written to bench/results.md (not part of make test)
	RIE=$(CURDIR)/$(RIE) scripts/bench.sh

.PHONY: docs-check
docs-check: ## Render /docs in headless Chromium and check the reference shows (needs chromium)
	OHCS_REQUIRE_BROWSER=1 $(GO) test -count=1 -run TestDocsRender ./local/server

.PHONY: clean
clean: ## Remove build output
	rm -rf build cdk.out
