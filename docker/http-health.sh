#!/usr/bin/env bash
# Container health probe without curl or wget (the slim JRE image carries neither): one HTTP/1.0
# GET over bash's /dev/tcp, healthy when the answer is a 200 whose body contains the expected text.
# Usage: http-health <port> <path> [expected text, default "UP" as Spring's /actuator/health says]
set -euo pipefail
port="$1" path="$2" expected="${3:-\"UP\"}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
answer="$(timeout 5 cat <&3)"
[[ "$answer" == "HTTP/1."?" 200"* && "$answer" == *"$expected"* ]]
