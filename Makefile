# OHCS — the index of what can be done. `make help` lists it.

GO        ?= go
NPM       ?= npm
TOOLS     := tools/node_modules/.bin
FUNCTIONS := $(notdir $(wildcard functions/*))
FUZZTIME  ?= 5s

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run the whole API locally on 127.0.0.1:8080 (OHCS_ADDR overrides)
	$(GO) run ./local

.PHONY: test
test: lint vet unit fuzz-short ## Run every test: lint, vet, unit, store, handler and end-to-end tests, a short fuzz

.PHONY: unit
unit: ## Go tests (unit, store, handler, end-to-end)
	$(GO) test -count=1 ./...

.PHONY: vet
vet: ## go vet
	$(GO) vet ./...

$(TOOLS)/redocly: tools/package.json tools/package-lock.json
	$(NPM) ci --prefix tools --no-audit --no-fund
	@touch $@

.PHONY: lint
lint: $(TOOLS)/redocly ## Lint the OpenAPI document
	$(TOOLS)/redocly lint openapi/ohcs.yaml

.PHONY: fuzz-short
fuzz-short: ## Fuzz request decoding briefly
	$(GO) test -run='^$$' -fuzz=FuzzUnmarshal -fuzztime=$(FUZZTIME) ./shared/jsonio

.PHONY: fuzz
fuzz: ## Fuzz request decoding for longer (FUZZTIME=2m by default here)
	$(MAKE) fuzz-short FUZZTIME=2m

.PHONY: build
build: ## Build every Lambda function (linux/arm64 bootstrap) into build/<function>/
	@for f in $(FUNCTIONS); do \
		echo "build $$f"; \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags="-s -w" \
			-o build/$$f/bootstrap ./functions/$$f || exit 1; \
	done

.PHONY: docs-check
docs-check: ## Render /docs in headless Chromium and check the reference shows (needs chromium)
	OHCS_REQUIRE_BROWSER=1 $(GO) test -count=1 -run TestDocsRender ./local/server

.PHONY: clean
clean: ## Remove build output
	rm -rf build
