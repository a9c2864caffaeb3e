# The four stages of bench/run (sourced by it; uses its variables and helpers: PY, WORK, record, note,
# log, pins_file, ensure_stack, peak_rss_mb, stop_pid, wait_http, STARTED_PIDS, QUICK, REPEAT, …).
# Each stage measures the seed peer and pinpipe on the same input and records both; a side that
# cannot run is recorded as not measured, with the reason.

# module_jar MODULE [CLASSIFIER] — the module's built jar, building it (skipping tests) when missing
module_jar() {
  local module="$1" jar
  jar="$(ls "$ROOT/$module"/target/"$module"-*.jar 2>/dev/null | grep -v -E -- '-(sources|javadoc|tests|plain)\.jar$' | head -1 || true)"
  if [[ -z "$jar" ]] && grep -q "<module>$module</module>" "$ROOT/pom.xml"; then
    log "building $module (./mvnw -pl $module -am -DskipTests package)"
    "$ROOT/mvnw" -B -ntp -q -pl "$module" -am -DskipTests package >"$WORK/build-$module.log" 2>&1 || true
    jar="$(ls "$ROOT/$module"/target/"$module"-*.jar 2>/dev/null | grep -v -E -- '-(sources|javadoc|tests|plain)\.jar$' | head -1 || true)"
  fi
  echo "$jar"
}

# ---------------------------------------------------------------------------------------- batch
# batch_median FILE RULES — the median rows/s of that rules' summary line in FILE ("-" if none)
batch_median() {
  "$PY" -c 'import json,sys
v="-"
for l in open(sys.argv[1]):
    if l.startswith("{"):
        d=json.loads(l)
        if d.get("rules")==sys.argv[2] and "median_rows_per_s" in d: v=d["median_rows_per_s"]
print(v)' "$1" "$2" 2>/dev/null || echo "-"
}

# rules_alone RATE FLOOR — rows/s of the rules alone: the floor's time per row subtracted
rules_alone() {
  "$PY" -c 'import sys
r,f=float(sys.argv[1]),float(sys.argv[2])
print(round(1/(1/r-1/f)) if r<f else "-")' "$1" "$2" 2>/dev/null || echo "-"
}

stage_batch() {
  local input rules="none,seed" jars="" core spark why="" out="$WORK/batch.log"
  input="$(pins_file "$BATCH_ROWS")"
  core="$(module_jar pin-core)"; spark="$(module_jar pin-spark)"
  if [[ -n "$core" && -n "$spark" ]]; then
    jars="$core,$spark"; rules="none,seed,native"
  else
    why="pin-spark's jar is not built"
  fi
  local cmd=("$PY" "$BENCH/seed-peer/batch_udfs.py" --input "$input" --rules "$rules" --repeat "$REPEAT")
  [[ -n "$jars" ]] && cmd+=(--jars "$jars")
  local shown="bench/seed-peer/batch_udfs.py --input pins-$BATCH_ROWS-seed$SEED.ndjson --rules $rules --repeat $REPEAT${jars:+ --jars pin-core.jar,pin-spark.jar} (local[2])"
  log "batch: $shown"
  "${cmd[@]}" >"$out" 2>"$WORK/batch.err" || why="batch_udfs.py failed (see batch.err)"
  local floor seed native
  floor="$(batch_median "$out" none)"; seed="$(batch_median "$out" seed)"; native="$(batch_median "$out" native)"
  [[ "$native" == "-" && -z "$why" ]] && why="the native run gave no figure (see batch.err)"
  record batch "read + seven rules + noop ↑" "rows/s" pinpipe "$native" "${why:-$shown}"
  record batch "read + seven rules + noop ↑" "rows/s" peer "$seed" "$shown"
  if [[ "$floor" != "-" ]]; then
    [[ "$native" != "-" ]] && record batch "seven rules alone (read floor subtracted) ↑" "rows/s" pinpipe "$(rules_alone "$native" "$floor")" ""
    [[ "$seed" != "-" ]] && record batch "seven rules alone (read floor subtracted) ↑" "rows/s" peer "$(rules_alone "$seed" "$floor")" ""
    note "- batch: read floor (same file and harness, no rules, \`noop\`): $floor rows/s; rules alone = 1/(1/rate − 1/floor). $BATCH_ROWS rows, median of $REPEAT timed runs after a warm-up, the rule sets timed in turn."
  fi
  note "- batch: the peer's seven rules are classic Python UDFs (\`useArrow=False\`); its follower-count rule returns null where the seed's raised — on $(json_field "$input.stats" seed_udf_raises_on) of these pins the seed's job would have failed."
  pinpipe_batch_e2e
}

# S3 → Postgres end to end for pinpipe: the batch stage's own benchmark (bench/batch/run), which
# archives its own generated pins to the stack's S3 and runs the real batch job into pins_batch
pinpipe_batch_e2e() {
  local metric="S3 → Postgres end to end (empty pins_batch) ↑"
  if [[ ! -x "$BENCH/batch/run" ]]; then
    record batch "$metric" "rows/s" pinpipe - "bench/batch/ has no benchmark yet"; return 0
  fi
  ensure_stack || { record batch "$metric" "rows/s" pinpipe - "the stack did not start"; return 0; }
  local out="$WORK/pinpipe-batch.log" shown="bench/batch/run --rows $BATCH_ROWS --repeat $REPEAT"
  log "batch (pinpipe): $shown"
  if /usr/bin/time -f 'BENCH {"max_rss_kb":%M}' "$BENCH/batch/run" --rows "$BATCH_ROWS" --repeat "$REPEAT" >"$out" 2>"$WORK/pinpipe-batch.err"; then
    record batch "$metric" "rows/s" pinpipe "$(json_field "$out" rows_per_s)" "$shown"
    record batch "S3 → Postgres re-run (every row an upsert conflict) ↑" "rows/s" pinpipe "$(json_field "$out" rerun_rows_per_s)" ""
    record batch "S3 → Postgres, the job's first run in its JVM (JIT included) ↑" "rows/s" pinpipe "$(json_field "$out" first_run_rows_per_s)" ""
    record batch "same rows by Spark's JDBC append (the reference ceiling's setup) ↑" "rows/s" pinpipe "$(json_field "$out" jdbc_append_rows_per_s)" ""
    note "- batch: end to end ÷ Spark JDBC append of the same rows in this run: $(json_field "$out" e2e_vs_jdbc_append)× (the reference run measured that ceiling at 162k rows/s on its machine; the 100k target is 0.62× of it)."
    note "- batch (pinpipe, bench/batch/run): end to end $(json_field "$out" e2e_s) s = read $(json_field "$out" read_s) s + transform $(json_field "$out" transform_s) s + write $(json_field "$out" write_s) s; on cached rows the rules as native Columns $(json_field "$out" native_rows_per_s) rows/s vs as Java UDFs $(json_field "$out" udf_rows_per_s) rows/s; the batch JVM peaked at $(( $(json_field "$WORK/pinpipe-batch.err" max_rss_kb | sed 's/^-$/0/') / 1024 )) MiB RSS."
  else
    record batch "$metric" "rows/s" pinpipe - "$shown failed (see pinpipe-batch.err)"
  fi
}

# --------------------------------------------------------------------------------------- ingest
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk (apt-get)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >"$WORK/apt-wrk.log" 2>&1
  command -v wrk >/dev/null
}

# settled_offsets TOPIC — the topic's total end offset once it stopped growing (≤ 30 s)
settled_offsets() {
  local last=-1 now
  for _ in $(seq 1 30); do
    now="$("$PY" "$BENCH/harness/topic_offsets.py" "$1")"
    [[ "$now" == "$last" ]] && { echo "$now"; return 0; }
    last="$now"; sleep 1
  done
  echo "$last"
}

# ingest_side SIDE URL PID — warm-up, then the measured wrk run; records req/s (pins that reached
# the topic), p50/p99, lost pins and the server's peak RSS
ingest_side() {
  local side="$1" url="$2" pid="$3" pin before after out="$WORK/wrk-$1.log"
  pin="$(head -1 "$(pins_file 1000)")"
  local wrk=(wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"${INGEST_SECONDS}s" --latency -s "$BENCH/harness/post_pin.lua" "$url")
  BENCH_PIN="$pin" wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"$((QUICK ? 3 : 10))s" -s "$BENCH/harness/post_pin.lua" "$url" >"$WORK/wrk-$side-warmup.log" 2>&1 || true
  before="$(settled_offsets "$TOPIC")"
  log "ingest ($side): ${wrk[*]}"
  BENCH_PIN="$pin" "${wrk[@]}" >"$out" 2>&1 || true
  after="$(settled_offsets "$TOPIC")"
  local requests non2xx errors seconds p50 p99
  requests="$(json_field "$out" requests)"; non2xx="$(json_field "$out" non2xx)"; errors="$(json_field "$out" errors)"
  seconds="$(json_field "$out" seconds)"; p50="$(json_field "$out" p50_ms)"; p99="$(json_field "$out" p99_ms)"
  if [[ "$requests" == "-" ]]; then
    record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" "$side" - "wrk gave no result (see wrk-$side.log)"
    return 0
  fi
  # wrk stops counting at the deadline while up to $CONCURRENCY requests are still in flight, so the
  # topic may hold a few more pins than wrk counted: accepted = min(answered 2xx, reached the topic)
  local ok=$((requests - non2xx)) reached=$((after - before))
  local lost=$((ok - reached)); (( lost < 0 )) && lost=0
  local accepted=$(( ok < reached ? ok : reached ))
  local shown="wrk -t$WRK_THREADS -c$CONCURRENCY -d${INGEST_SECONDS}s --latency -s bench/harness/post_pin.lua $url"
  record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" "$side" \
    "$("$PY" -c "print(round($accepted / $seconds, 1))")" "$shown"
  record ingest "p50 latency at c=$CONCURRENCY ↓" "ms" "$side" "$p50" ""
  record ingest "p99 latency at c=$CONCURRENCY ↓" "ms" "$side" "$p99" ""
  record ingest "peak RSS of the API process ↓" "MiB" "$side" "$(peak_rss_mb "$pid")" ""
  note "- ingest ($side): $requests requests in ${seconds} s, $non2xx non-2xx, $errors socket errors/timeouts; topic end offsets $before → $after: $reached pins reached the topic (in-flight requests at wrk's deadline can add up to $CONCURRENCY), **$lost answered 2xx but missing from the topic**."
}

# ingest_kill SIDE URL PID — under the same load, SIGKILLs the API after 4 s (a crash) and counts the
# pins it had answered 2xx that never reached the topic
ingest_kill() {
  local side="$1" url="$2" pid="$3" pin before after out="$WORK/wrk-$1-kill.log"
  pin="$(head -1 "$(pins_file 1000)")"
  before="$(settled_offsets "$TOPIC")"
  BENCH_PIN="$pin" wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d6s -s "$BENCH/harness/post_pin.lua" "$url" >"$out" 2>&1 &
  local load=$!
  sleep 4; kill -9 "$pid" 2>/dev/null || true
  wait "$load" || true
  after="$(settled_offsets "$TOPIC")"
  local requests non2xx
  requests="$(json_field "$out" requests)"; non2xx="$(json_field "$out" non2xx)"
  [[ "$requests" == "-" ]] && return 0
  local ok=$((requests - non2xx)) reached=$((after - before))
  local lost=$((ok - reached)); (( lost < 0 )) && lost=0
  record ingest "pins answered 2xx but lost when the API is killed (kill -9 under load) ↓" "pins" "$side" "$lost" \
    "wrk -t$WRK_THREADS -c$CONCURRENCY -d6s …, kill -9 of the API after 4 s; lost = answered 2xx − reached the topic"
  note "- ingest crash ($side): $ok answered 2xx before/around the kill -9, $reached reached the topic: **$lost lost**."
}

stage_ingest() {
  ensure_stack || { record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" peer - "the stack did not start"; return 1; }
  ensure_wrk || { record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" peer - "wrk is not installed"; return 1; }
  local pin; pin="$(head -1 "$(pins_file 1000)")"
  local PEER_API_PORT; PEER_API_PORT="$(free_port)"

  # the peer: FastAPI + uvicorn (1 worker) + kafka-python
  SEED_PEER_PORT="$PEER_API_PORT" SEED_PEER_TOPIC="$TOPIC" "$PY" "$BENCH/seed-peer/api.py" >"$WORK/peer-api.log" 2>&1 &
  local peer=$!; STARTED_PIDS+=("$peer")
  if wait_http "http://127.0.0.1:$PEER_API_PORT/pin/" 60 "$pin"; then
    ingest_side peer "http://127.0.0.1:$PEER_API_PORT/pin/" "$peer"
    ingest_kill peer "http://127.0.0.1:$PEER_API_PORT/pin/" "$peer"
    note "- ingest (peer): kafka-python $("$PY" -c 'import kafka; print(kafka.__version__)') producer with its defaults: acks=$("$PY" -c 'from kafka import KafkaProducer as P; print(P.DEFAULT_CONFIG["acks"])'), enable_idempotence=$("$PY" -c 'from kafka import KafkaProducer as P; print(P.DEFAULT_CONFIG.get("enable_idempotence"))'); no key, no flush, no wait on the send future."
  else
    record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" peer - "the peer API did not start (see peer-api.log)"
  fi
  stop_pid "$peer"

  # pinpipe: ingest-api (Spring Boot), same load
  local jar; jar="$(module_jar ingest-api)"
  if [[ -z "$jar" ]]; then
    record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" pinpipe - "ingest-api's jar is not built (module not in the reactor yet)"
    return 0
  fi
  local port management; port="$(free_port)"; management="$(free_port)"   # never a developer's API on 8000 / 8100
  PINPIPE_API_PORT="$port" PINPIPE_API_MANAGEMENT_PORT="$management" java -jar "$jar" >"$WORK/pinpipe-ingest-api.log" 2>&1 &
  local api=$!; STARTED_PIDS+=("$api")
  if wait_http "http://127.0.0.1:$port/pin" 120 "$pin"; then
    ingest_side pinpipe "http://127.0.0.1:$port/pin" "$api"
    pinpipe_ingest_batches "http://127.0.0.1:$port" "$api" "$management"
    ingest_kill pinpipe "http://127.0.0.1:$port/pin" "$api"
  else
    record ingest "single-pin req/s at c=$CONCURRENCY (pins on the topic) ↑" "req/s" pinpipe - "ingest-api did not start (see pinpipe-ingest-api.log)"
  fi
  stop_pid "$api"
  return 0
}

# pins/s through POST /pins and p99 at a fixed 2 000 req/s (pinpipe only): the ingest stage's own
# benchmark (bench/ingest/run.sh, the user emulator's load runners) against the API this run started
# (pinpipe_ingest_batches API_URL PID MANAGEMENT_PORT)
pinpipe_ingest_batches() {
  local api="$1" pid="$2" out="$WORK/pinpipe-ingest-batches.log" metric="pins/s through POST /pins (1 000 a request, 4 in flight) ↑"
  if [[ ! -x "$BENCH/ingest/run.sh" ]]; then
    record ingest "$metric" "pins/s" pinpipe - "bench/ingest/ has no benchmark yet"; return 0
  fi
  local shown="bench/ingest/run.sh --seconds $INGEST_SECONDS --warmup 3 --phases fixed,pins --fixed-rate 2000 --json"
  log "ingest (pinpipe): $shown"
  if PINPIPE_API_URL="$api" PINPIPE_API_MANAGEMENT_PORT="$3" "$BENCH/ingest/run.sh" --seconds "$INGEST_SECONDS" --warmup 3 --phases fixed,pins --fixed-rate 2000 --json \
       >"$out" 2>"$WORK/pinpipe-ingest-batches.err"; then
    local rate p99
    rate="$("$PY" -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("{"):
        d=json.loads(l)
        if d["phase"].startswith("/pins"): print(round(d["summary"]["acked_per_second"]))' "$out" 2>/dev/null)"
    # the open-loop phase: latency counted from each request's due time, so a backlog shows
    p99="$("$PY" -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("{"):
        d=json.loads(l)
        if d["phase"].startswith("single pin, fixed"): print(d["summary"]["p99_ms"])' "$out" 2>/dev/null)"
    record ingest "$metric" "pins/s" pinpipe "${rate:--}" "$shown"
    record ingest "p99 latency at a fixed 2 000 req/s (open loop) ↓" "ms" pinpipe "${p99:--}" "$shown"
    record ingest "peak RSS of the API process ↓" "MiB" pinpipe "$(peak_rss_mb "$pid")" "" # after /pins too
  else
    record ingest "$metric" "pins/s" pinpipe - "bench/ingest/run.sh failed (see the run's work dir)"
  fi
}

# -------------------------------------------------------------------------------------- archive
stage_archive() {
  ensure_stack || { record archive "pins/s from a pre-filled topic to S3 ↑" "pins/s" peer - "the stack did not start"; return 1; }
  local input topic="bench.archive.peer.$RUN_ID" out="$WORK/peer-archiver.log"
  input="$(pins_file "$ARCHIVE_PINS")"
  log "archive (peer): pre-filling $topic with $ARCHIVE_PINS pins"
  "$PY" "$BENCH/harness/fill_topic.py" --input "$input" --count "$ARCHIVE_PINS" --topic "$topic" >"$WORK/fill-peer.log" 2>&1
  log "archive (peer): archiver.py, one put_object per message"
  SEED_PEER_TOPIC="$topic" SEED_PEER_GROUP="seed-archiver-$RUN_ID" SEED_PEER_MAX_MESSAGES="$ARCHIVE_PINS" SEED_PEER_IDLE_MS=20000 \
    /usr/bin/time -f 'BENCH {"max_rss_kb":%M}' "$PY" "$BENCH/seed-peer/archiver.py" >"$out" 2>"$WORK/peer-archiver.err" || true
  local rate; rate="$(json_field "$out" pins_per_s)"
  record archive "pins/s from a pre-filled topic to S3 ↑" "pins/s" peer "$rate" \
    "SEED_PEER_MAX_MESSAGES=$ARCHIVE_PINS bench/seed-peer/archiver.py (topic pre-filled by bench/harness/fill_topic.py)"
  PEER_ARCHIVER_RSS_MB="$(( $(json_field "$WORK/peer-archiver.err" max_rss_kb | sed 's/^-$/0/') / 1024 ))"
  note "- archive (peer): $(json_field "$out" messages) messages → as many S3 objects (one \`put_object\` each); the archiver's peak RSS $PEER_ARCHIVER_RSS_MB MiB."
  pinpipe_archive
}

# pinpipe's archiver: the archive stage's own benchmark (bench/archive/run), on the first
# $ARCHIVE_PINPIPE pins of the same generated sequence (more than the peer's: at pinpipe's rate the
# peer's count would last a fraction of a second)
pinpipe_archive() {
  if [[ -x "$BENCH/archive/run" ]]; then
    local out="$WORK/pinpipe-archive.log" input
    input="$(pins_file "$ARCHIVE_PINPIPE")"
    local shown="bench/archive/run --pins $ARCHIVE_PINPIPE --per-message-pins $ARCHIVE_PINS --input pins-$ARCHIVE_PINPIPE-seed$SEED.ndjson"
    log "archive (pinpipe): $shown"
    # the stack's CPU per pin too, when this run started the stack (STACK_PID, bench/harness/stack.sh)
    if /usr/bin/time -f 'BENCH {"max_rss_kb":%M}' "$BENCH/archive/run" --pins "$ARCHIVE_PINPIPE" \
         --per-message-pins "$ARCHIVE_PINS" --input "$input" ${STACK_PID:+--stack-pid "$STACK_PID"} >"$out" 2>"$WORK/pinpipe-archive.err"; then
      record archive "pins/s from a pre-filled topic to S3 ↑" "pins/s" pinpipe "$(json_field "$out" pins_per_s)" "$shown"
      record archive "peak RSS (pinpipe: the archive bench JVM, incl. its pre-fill producer) ↓" "MiB" pinpipe \
        "$(( $(json_field "$WORK/pinpipe-archive.err" max_rss_kb) / 1024 ))" ""
      record archive "peak RSS (pinpipe: the archive bench JVM, incl. its pre-fill producer) ↓" "MiB" peer "$PEER_ARCHIVER_RSS_MB" ""
      note "- archive (pinpipe): the figure is the pass after one warm-up pass over the same topic in the same JVM (the archiver is a long-running service; bench/archive/README.md); the first pass in the fresh JVM gave $(json_field "$out" first_pass_pins_per_s) pins/s. µs CPU per pin in the measured pass: archiver JVM $(json_field "$out" cpu_us_per_pin), stack JVM $(json_field "$out" stack_cpu_us_per_pin) (first pass $(json_field "$out" first_pass_cpu_us_per_pin) / $(json_field "$out" first_pass_stack_cpu_us_per_pin))."
      note "- archive (pinpipe): bench/archive/run's own per-message mode (Java, one PUT per message, the seed's way) gave $(json_field "$out" per_message_pins_per_s) pins/s on $ARCHIVE_PINS pins in the same run."
      return 0
    fi
    record archive "pins/s from a pre-filled topic to S3 ↑" "pins/s" pinpipe - "bench/archive/run failed (log in the run's work dir)"
  else
    record archive "pins/s from a pre-filled topic to S3 ↑" "pins/s" pinpipe - "bench/archive/ has no benchmark yet"
  fi
}

# --------------------------------------------------------------------------------------- stream
# the stream stage's own benchmark (bench/stream/run.sh): it starts its own stack and the streaming job,
# produces at steady rates then a ramp, and prints a table of rates and the max sustained rate
# (read by harness/parse_stream.py). Settings by environment: STEP_SECONDS, RATES, RAMP.
stage_stream() {
  local script="$BENCH/stream/run.sh"
  if [[ ! -x "$script" ]]; then
    record stream "max sustained pins/s ↑" "pins/s" pinpipe - "bench/stream/ has no runnable benchmark yet (no run.sh)"
    return 0
  fi
  local out="$WORK/pinpipe-stream.log" env=(STEP_SECONDS="$((QUICK ? 10 : 30))")
  (( QUICK )) && env+=(RATES=1000 RAMP=5000)
  local shown="${env[*]} bench/stream/run.sh"
  log "stream (pinpipe): $shown"
  if ! env "${env[@]}" /usr/bin/time -f 'BENCH {"max_rss_kb":%M}' "$script" >"$out" 2>"$WORK/pinpipe-stream.err"; then
    record stream "max sustained pins/s ↑" "pins/s" pinpipe - "$shown failed (see pinpipe-stream.err)"
    return 0
  fi
  "$PY" "$BENCH/harness/parse_stream.py" "$out" >"$WORK/stream.json"
  local sustained; sustained="$(json_field "$WORK/stream.json" max_sustained_pins_per_s)"
  record stream "max sustained pins/s ↑" "pins/s" pinpipe "$sustained" \
    "$([[ "$sustained" == "-" ]] && echo "$shown: no step was sustained (lag kept growing at every rate tried)" || echo "$shown")"
  local rate
  for rate in $("$PY" -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])).get("rates", {}), key=int)))' "$WORK/stream.json"); do
    record stream "ack-to-row p50 at $rate pins/s ↓" "ms" pinpipe "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["rates"][sys.argv[2]]["p50_ms"])' "$WORK/stream.json" "$rate")" ""
    record stream "ack-to-row p99 at $rate pins/s ↓" "ms" pinpipe "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["rates"][sys.argv[2]]["p99_ms"])' "$WORK/stream.json" "$rate")" ""
  done
  note "- stream: figures from \`$shown\` (its own stack and StreamJob; StreamBench produces with acks=all and polls pins_stream); the largest process of its tree peaked at $(( $(json_field "$WORK/pinpipe-stream.err" max_rss_kb | sed 's/^-$/0/') / 1024 )) MiB RSS."
}
