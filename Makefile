# hoso — make help lists the targets.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/hoso
export HOSO_LOG_FORMAT ?= text

.PHONY: help demo test eval drill bench bench-all build install-deps vet sample-pdfs clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install-deps: ## Install what is missing: pgvector for PostgreSQL 15, poppler, tesseract (vie), chromium
	@bash scripts/install-deps.sh

build: ## Build bin/hoso
	@mkdir -p bin
	$(GO) build -o $(BIN) ./cmd/hoso

demo: install-deps build ## Migrate, load sample data, process the sample dossiers, serve the console on 127.0.0.1:8080
	HOSO_LOG_LEVEL=$${HOSO_LOG_LEVEL:-warn} ./$(BIN) demo

vet: ## go vet
	$(GO) vet ./...

test: install-deps vet ## Run the whole suite against real PostgreSQL (pgvector) and NATS; long drills skipped (-short)
	$(GO) test -race -shuffle=on -short -timeout 30m ./...

eval: build ## Run every offline evaluation suite and write the reports to evals/out
	./$(BIN) eval run all --report evals/out/report.html --json-out evals/out/report.json --markdown evals/out/summary.md

drill: install-deps ## Run every reliability drill (kill, failover, outage, overload, duplicates) at full size
	$(GO) test -race -timeout 60m -run 'Drill' -v ./drills/...

bench: ## BenchmarkEndToEnd beside the commit before the performance work, in one run; writes docs/performance.md
	GO=$(GO) scripts/bench.sh

bench-all: ## Run every benchmark of the tree (figures are ratios against baselines measured in the same run)
	$(GO) test -run '^$$' -bench . -benchtime 3x -timeout 30m ./...

sample-pdfs: ## Re-render data/dossiers/*.pdf from data/dossiers/src/*.html with headless Chromium
	@cd data/dossiers/src && for f in *.html; do \
	  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir=$$(mktemp -d) --no-pdf-header-footer \
	    --print-to-pdf=../$${f%.html}.pdf file://$$PWD/$$f 2>/dev/null; done

clean: ## Remove build output and the embedded NATS store ($HOSO_DATA_DIR/nats; stop hoso serve first)
	rm -rf bin .hoso "$${HOSO_DATA_DIR:-$${XDG_STATE_HOME:-$$HOME/.local/state}/hoso}/nats"
