# The bench module's Java mains for the bench scripts (sourced; needs ROOT). Each main runs on the class
# path of the process it measures (that process's versions first), then the bench's own jar and libraries.

# bench_build [PATH…] — builds the bench module and the modules it compiles against (./mvnw -pl bench -am)
# when its jar is missing or older than its sources, pin-core's, the user emulator's or PATHs
bench_build() {
  local jar
  jar="$(bench_jar)"
  if [[ -z "$jar" || ! -f "$ROOT/bench/target/classpath.txt" \
        || -n "$(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" "$ROOT/pin-core/src" "$ROOT/user-emulator/src" "$@" -newer "$jar" -print -quit)" ]]; then
    echo "[bench] building the bench module (./mvnw -pl bench -am -DskipTests install)" >&2
    (cd "$ROOT" && ./mvnw -B -ntp -q -pl bench -am -DskipTests install) >&2
  fi
}

bench_jar() {
  ls "$ROOT"/bench/target/bench-*.jar 2>/dev/null | head -1 || true
}

# bench_classpath [CLASSPATH] — the bench's jar, CLASSPATH (the measured process's own), the bench's libraries
bench_classpath() {
  echo "$(bench_jar):${1:+$1:}$(cat "$ROOT/bench/target/classpath.txt")"
}
