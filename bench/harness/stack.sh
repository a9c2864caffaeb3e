# Starts the embedded local stack (local-stack's LocalStackMain: Kafka, S3, PostgreSQL) for one bench
# run, on free ports and a data dir of its own under the run's work dir, and exports the PINPIPE_*
# variables it prints. Sourced by bench/run (uses ROOT, HOME_DIR, log, free_port, STARTED_PIDS) and bench/stream/run.sh
# (export_stack_settings only).

# export_stack_settings READY_LINE — exports the PINPIPE_* settings of the stack's ready line; its secrets
# are not in the line, so the stack's own (the catalogue's defaults) apply: any other value is unset
export_stack_settings() {
  unset PINPIPE_S3_SECRET_KEY PINPIPE_S3_SECRET_KEY_FILE PINPIPE_DB_PASSWORD PINPIPE_DB_PASSWORD_FILE
  eval "$(python3 -c 'import json, shlex, sys
for k, v in json.loads(sys.argv[1]).items(): print(f"export {k}={shlex.quote(v)}")' "${1#PINPIPE-LOCALSTACK-READY }")"
}

# local_stack_classpath — local-stack's classes and the class path its build writes (bench/run's bench_build builds it)
local_stack_classpath() {
  local cp_file="$ROOT/local-stack/target/classes/META-INF/pinpipe/local-stack.classpath"
  [[ -f "$cp_file" ]] || { log "local-stack is not built ($cp_file is missing)"; return 1; }
  echo "$ROOT/local-stack/target/classes:$(cat "$cp_file")"
}

STACK_PID=""
# start_stack WORKDIR — starts it and exports PINPIPE_*; returns non-zero when it did not come up in 4 min
start_stack() {
  local work="$1" cp
  cp="$(local_stack_classpath)" || return 1
  local kafka s3 pg
  kafka="$(free_port)"; s3="$(free_port)"; pg="$(free_port)"
  log "starting the local stack (Kafka :$kafka, S3 :$s3, PostgreSQL :$pg)"
  # the stack's own JVM options (local-stack/jvm.options), as ./pinpipe up starts it
  # shellcheck disable=SC2046
  java $(sed -e 's/#.*//' "$ROOT/local-stack/jvm.options" | xargs) -cp "$cp" dev.pinpipe.localstack.LocalStackMain --data-dir "$work/stack-data" \
    --kafka-port "$kafka" --s3-port "$s3" --pg-port "$pg" >"$work/stack.log" 2>&1 &
  STACK_PID=$!; STARTED_PIDS+=("$STACK_PID")
  local line=""
  for _ in $(seq 1 480); do
    line="$(grep -m1 '^PINPIPE-LOCALSTACK-READY ' "$work/stack.log" 2>/dev/null || true)"
    [[ -n "$line" ]] && break
    kill -0 "$STACK_PID" 2>/dev/null || { log "the local stack exited (see stack.log)"; return 1; }
    sleep 0.5
  done
  [[ -n "$line" ]] || { log "the local stack did not get ready in 4 min (see stack.log)"; return 1; }
  export_stack_settings "$line"
  log "local stack ready: $PINPIPE_KAFKA_BOOTSTRAP, $PINPIPE_S3_ENDPOINT, $PINPIPE_JDBC_URL"
}
