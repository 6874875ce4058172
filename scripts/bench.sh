#!/usr/bin/env bash
# Runs the Go benchmarks and writes bench/results.md: one table row per
# benchmark with time, memory, allocations and, where measured, the DynamoDB
# requests per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-200x}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -count=1 -run '^$' -bench . -benchtime "$benchtime" ./local/server ./shared/... | tee "$raw"
mkdir -p bench
cpu=$(awk -F': ' '/^cpu:/ {print $2; exit}' "$raw")
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` on $(date -u +%Y-%m-%d) ($(go env GOOS)/$(go env GOARCH), ${cpu:-unknown CPU}, $(nproc) cores, $(go env GOVERSION)), $benchtime per benchmark."
	echo
	echo "\`BenchmarkOperations/<operationId>\` calls the operation through the local"
	echo "server: loopback HTTP, the gateway's token check and request validation,"
	echo "the handler, the embedded DynamoDB-compatible store, and the test client's"
	echo "response validation, so its times are an upper bound of the handler's."
	echo "Only operations whose request can be repeated are measured: reads and"
	echo "repeatable writes, not the rate-limited ones. DynamoDB requests per"
	echo "operation are counted by an SDK middleware and are what on-demand"
	echo "tables bill."
	echo
	echo "| benchmark | ns/op | B/op | allocs/op | DynamoDB requests/op |"
	echo "|---|---:|---:|---:|---:|"
	awk '/^Benchmark/ {
		name=$1; sub(/-[0-9]+$/, "", name)
		ns=""; bytes=""; allocs=""; reqs=""
		for (i = 3; i < NF; i += 2) {
			if ($(i+1) == "ns/op") ns=$i
			else if ($(i+1) == "B/op") bytes=$i
			else if ($(i+1) == "allocs/op") allocs=$i
			else if ($(i+1) == "dynamodb-requests/op") reqs=$i
		}
		printf "| %s | %s | %s | %s | %s |\n", name, ns, bytes, allocs, reqs
	}' "$raw" | sort
} > bench/results.md
echo "wrote bench/results.md"
