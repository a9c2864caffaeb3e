# Starts the embedded local stack (local-stack's LocalStackMain: Kafka, S3, PostgreSQL) for one bench
# run, on free ports and a data dir of its own under the run's work dir, and exports the PINPIPE_*
# variables it prints. Sourced by bench/run (uses ROOT, HOME_DIR, PY, log, STARTED_PIDS).

# local_stack_classpath — local-stack's classes + runtime classpath
local_stack_classpath() {
  local cp_file="$HOME_DIR/bench/local-stack-classpath.txt"
  # rebuilt when missing or when local-stack's pom changed (its classes are compiled by its own builds too)
  if [[ ! -s "$cp_file" || ! -f "$ROOT/local-stack/target/classes/dev/pinpipe/localstack/LocalStackMain.class" \
        || "$ROOT/local-stack/pom.xml" -nt "$cp_file" ]]; then
    grep -q "<module>local-stack</module>" "$ROOT/pom.xml" || { log "local-stack is not in the reactor yet"; return 1; }
    log "building local-stack (./mvnw -pl local-stack -am -Dmaven.test.skip=true install)"
    "$ROOT/mvnw" -B -ntp -q -pl local-stack -am -Dmaven.test.skip=true install >"$WORK/build-local-stack.log" 2>&1 || { log "local-stack build failed (see build-local-stack.log)"; return 1; }
    "$ROOT/mvnw" -B -ntp -q -f "$ROOT/local-stack/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$cp_file" >>"$WORK/build-local-stack.log" 2>&1 || return 1
  fi
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
  eval "$("$PY" -c 'import json, shlex, sys
for k, v in json.loads(sys.argv[1]).items(): print(f"export {k}={shlex.quote(v)}")' "${line#PINPIPE-LOCALSTACK-READY }")"
  log "local stack ready: $PINPIPE_KAFKA_BOOTSTRAP, $PINPIPE_S3_ENDPOINT, $PINPIPE_JDBC_URL"
}
