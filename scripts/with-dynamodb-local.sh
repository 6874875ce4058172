#!/usr/bin/env bash
# Runs a command with Amazon's DynamoDB Local (the jar the npm package in
# tools/ ships; Java 17) on a free loopback port, named to the command by
# OHCS_DYNAMODB_ENDPOINT; stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
emu=tools/node_modules/amplify-dynamodb-simulator/emulator
port=$(( (RANDOM % 20000) + 30000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
java -Djava.library.path="$emu/DynamoDBLocal_lib" -jar "$emu/DynamoDBLocal.jar" -inMemory -port "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
	kill -0 "$pid" 2>/dev/null || { echo "DynamoDB Local exited (is Java 17 installed?)" >&2; exit 1; }
	sleep 0.1
done
OHCS_DYNAMODB_ENDPOINT="http://127.0.0.1:$port" "$@"
