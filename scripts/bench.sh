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
# Function sizes: every function as deployed (linux/arm64, stripped), beside
# the smallest possible Go function built with the same flags.
make --no-print-directory build >/dev/null
floor=$(mktemp -d)
trap 'rm -f "$raw"; rm -rf "$floor"' EXIT
GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags="-s -w" -o "$floor/bootstrap" ./bench/floor
floor_bytes=$(stat -c %s "$floor/bootstrap")
{
	echo
	echo "## Function sizes"
	echo
	echo "Stripped linux/arm64 \`bootstrap\` of every function, beside the smallest Go"
	echo "Lambda function built with the same flags ($(awk -v b="$floor_bytes" 'BEGIN {printf "%.1f MiB", b/1048576}')). The target is under 10 MB."
	echo
	echo "| function | MiB | times the floor |"
	echo "|---|---:|---:|"
	for f in build/*/bootstrap; do
		name=$(basename "$(dirname "$f")")
		[ "$name" = infra-app ] && continue
		awk -v n="$name" -v b="$(stat -c %s "$f")" -v fl="$floor_bytes" \
			'BEGIN {printf "| %s | %.1f | %.1f |\n", n, b/1048576, b/fl}'
	done
	over=$(find build -path 'build/*/bootstrap' -size +9765k | wc -l)
	total=$(find build -path 'build/*/bootstrap' | wc -l)
	echo
	echo "$over of $total functions are over 10 MB. The floor links no AWS SDK;"
	echo "every OHCS function links the SDK's default configuration chain (its STS,"
	echo "SSO and instance metadata clients), the DynamoDB client, the token"
	echo "verifier and golang.org/x/text, and each links its whole domain package."
	echo "The levers, not measured yet: credentials straight from the Lambda"
	echo "environment instead of the default chain, x/text only where languages"
	echo "are handled, and handler packages split per operation."
} >> bench/results.md
echo "wrote bench/results.md"
