"""`airflow dags test pinterest_batch <date>` against a real local stack: archive → batch job → check.

Starts the local stack (local-stack module, on free ports, data under pytest's tmp dir), archives the
shared sample pins for one day in the line format of the archiver, with hostile lines beside them,
then runs the DAG for that day with a real Airflow and checks the rows the batch job left in
pins_batch, pins_rejected and pipeline_runs. Then the check itself against runs that do not add up.
"""

import importlib.util
import json
import os
import queue
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import psycopg
import pytest
from botocore.config import Config

from conftest import DAGS_FOLDER, MODULE, REPO_ROOT

DAY = "2026-01-15"
SAMPLE_PINS = REPO_ROOT / "pin-core/src/test/resources/sample-pins.ndjson"
EXPECTED_ROWS = REPO_ROOT / "pin-core/src/test/resources/sample-pins.expected.ndjson"
LOCAL_STACK_CLASSES = REPO_ROOT / "local-stack/target/classes"
LOCAL_STACK_CLASSPATH = LOCAL_STACK_CLASSES / "META-INF/pinpipe/local-stack.classpath"
READY = "PINPIPE-LOCALSTACK-READY"
AIRFLOW = Path(sys.executable).parent / "airflow"  # the venv's CLI, whatever PATH holds
PARTITIONS = 3

pytestmark = pytest.mark.e2e


def batch_job_built() -> bool:
    """What ./pinpipe batch runs: the thin jar plus the classpath file the build writes beside it."""
    target = REPO_ROOT / "batch-spark-job/target"
    thin = [j for j in target.glob("batch-spark-job-*.jar") if not j.name.endswith(("-cluster.jar", "-tests.jar"))]
    return bool(thin) and (target / "classpath.txt").is_file()


def free_ports(count: int) -> list[int]:
    """Distinct loopback ports free a moment ago, BELOW the kernel's ephemeral range as local-stack's
    FreePorts picks them: a bind(0) port is also what the next outgoing connection may take."""
    ports: list[int] = []
    for _ in range(200):
        port = random.randrange(20000, 32000)
        if port in ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError("no free ports in 20000..32000 after 200 tries")


@pytest.fixture(scope="module")
def stack_env():
    """A running local stack; yields the PINPIPE_* variables pointing at it, stops it afterwards."""
    if not LOCAL_STACK_CLASSPATH.exists():
        pytest.fail(f"{LOCAL_STACK_CLASSPATH} is missing: build local-stack first (./mvnw -pl local-stack -am package)")
    # not pytest's tmp dir (mode 700): PostgreSQL may run as another user and must reach its folder
    work = MODULE / "target" / "e2e-stack"
    shutil.rmtree(work, ignore_errors=True)
    data = work / "data"
    data.mkdir(parents=True)
    for d in (work, data):
        d.chmod(0o755)
    kafka_port, s3_port, pg_port = free_ports(3)
    java = Path(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    classpath = f"{LOCAL_STACK_CLASSES}{os.pathsep}{LOCAL_STACK_CLASSPATH.read_text().strip()}"
    process = subprocess.Popen(
        [str(java), "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
         "dev.pinpipe.localstack.LocalStackMain", "--data-dir", str(data),
         "--kafka-port", str(kafka_port), "--s3-port", str(s3_port), "--pg-port", str(pg_port),
         "--control-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue = queue.Queue()
    log_path = work / "local-stack.log"

    def pump():
        with open(log_path, "w") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                if line.startswith(READY):
                    lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        ready = lines.get(timeout=180)
    except queue.Empty:
        ready = "timed out after 180 s"
    if not ready or not ready.startswith(READY):
        process.kill()
        pytest.fail(f"the local stack did not start ({ready or 'it exited'}); log {log_path}:\n{log_path.read_text()[-3000:]}")
    try:
        # the ready line leaves the secrets out: the local stack's are the fixed defaults (docs/configuration.md)
        yield {"PINPIPE_S3_SECRET_KEY": "pinpipe-secret", "PINPIPE_DB_PASSWORD": "pinpipe", **json.loads(ready[len(READY):])}
    finally:
        process.stdin.close()  # end of input = stop (the stack's --control-stdin contract)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(env: dict):
    return boto3.client(
        "s3",
        endpoint_url=env["PINPIPE_S3_ENDPOINT"],
        region_name=env["PINPIPE_S3_REGION"],
        aws_access_key_id=env["PINPIPE_S3_ACCESS_KEY"],
        aws_secret_access_key=env["PINPIPE_S3_SECRET_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )


def put_marker(env: dict, topic: str, partition: int, lines_per_day: dict, newest: str | None,
               caught_up: str | None = None) -> None:
    """A progress marker as the archiver writes it (batch-consumer/README.md), counting from offset 0."""
    marker = {"topic": topic, "partition": partition, "committed_offset": sum(lines_per_day.values()),
              "counted_from_offset": 0, "counted_from_day": min(lines_per_day, default=None),
              "days_from": "2025-12-01", "newest_record_time": newest, "caught_up_at": caught_up,
              "lines_per_day": lines_per_day, "written_at": newest}
    s3_client(env).put_object(Bucket=env["PINPIPE_S3_BUCKET"], Key=f"pins_progress/{topic}+{partition}.json",
                              Body=json.dumps(marker).encode("utf-8"))


def archive_sample_pins(env: dict, day: str) -> list[str]:
    """Writes the sample pins as that day's archive objects, one per partition; returns their unique_ids."""
    s3 = s3_client(env)
    raw_lines = [line.strip() for line in SAMPLE_PINS.read_text(encoding="utf-8").splitlines() if line.strip()]
    noon = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
    per_partition: dict[int, list[str]] = {p: [] for p in range(PARTITIONS)}
    for i, raw in enumerate(raw_lines):
        partition, offset = i % PARTITIONS, i // PARTITIONS
        millis = int((noon + timedelta(seconds=i)).timestamp() * 1000)
        lineage = f'"_kafka":{{"partition":{partition},"offset":{offset},"timestamp":{millis}}}'
        # the raw object exactly as posted, its closing brace replaced by the appended lineage field
        per_partition[partition].append(raw[: raw.rindex("}")] + "," + lineage + "}")
    for partition, archived in per_partition.items():
        key = f"pins/dt={day}/PinterestTopic+{partition}+{0:020d}.json"
        body = ("\n".join(archived) + "\n").encode("utf-8")
        s3.put_object(Bucket=env["PINPIPE_S3_BUCKET"], Key=key, Body=body)
    return [json.loads(raw)["unique_id"] for raw in raw_lines]


# lines no archiver writes, in an object of their own: each must be quarantined, none may fail the run
HOSTILE_LINES = [
    "this line is not JSON",
    "[]",
    '{"index": 1, "unique_id": "not-a-uuid", "category": "art",'
    ' "_kafka": {"partition": 0, "offset": 900, "timestamp": 1768478400000}}',
    '{"index": 2, "unique_id": "9b0b5f0e-1b8c-4a55-9b3e-2f5b4cf7d1a0\u2028", "category": "art",'
    ' "_kafka": {"partition": 0, "offset": 901, "timestamp": 1768478400000}}',
]


def archive_hostile_lines(env: dict, day: str) -> None:
    s3 = s3_client(env)
    key = f"pins/dt={day}/PinterestTopic+0+{900:020d}.json"
    s3.put_object(Bucket=env["PINPIPE_S3_BUCKET"], Key=key, Body=("\n".join(HOSTILE_LINES) + "\n").encode("utf-8"))


def postgres_connection_json(env: dict) -> str:
    """The pinpipe_postgres Airflow connection (JSON form of AIRFLOW_CONN_*) for the stack's database."""
    host_port, database = env["PINPIPE_JDBC_URL"].removeprefix("jdbc:postgresql://").split("?")[0].split("/", 1)
    host, port = host_port.split(":")
    return json.dumps({"conn_type": "postgres", "host": host, "port": int(port), "schema": database,
                       "login": env["PINPIPE_DB_USER"], "password": env["PINPIPE_DB_PASSWORD"]})


def query(env: dict, sql: str, *params):
    host_port, database = env["PINPIPE_JDBC_URL"].removeprefix("jdbc:postgresql://").split("?")[0].split("/", 1)
    host, port = host_port.split(":")
    with psycopg.connect(host=host, port=int(port), dbname=database, user=env["PINPIPE_DB_USER"],
                         password=env["PINPIPE_DB_PASSWORD"], connect_timeout=10) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.skipif(not batch_job_built(), reason="the batch job jar is absent (batch-spark-job/target/batch-spark-job-*.jar "
                    "+ classpath.txt): build batch-spark-job first (the Maven reactor does, before this module)")
def test_dags_test_archives_a_day_into_pins_batch(stack_env, tmp_path):
    expected_ids = {json.loads(line)["unique_id"]
                    for line in EXPECTED_ROWS.read_text(encoding="utf-8").splitlines() if line.strip()}
    archived_ids = archive_sample_pins(stack_env, DAY)
    assert expected_ids <= set(archived_ids)
    archive_hostile_lines(stack_env, DAY)
    # the markers count what archive_* wrote; partition 1 still lags behind the end of the day
    lines = {p: len(range(p, len(archived_ids), PARTITIONS)) for p in range(PARTITIONS)}
    lines[0] += len(HOSTILE_LINES)
    after_the_day = "2026-01-16T00:00:05.000Z"
    put_marker(stack_env, "PinterestTopic", 0, {DAY: lines[0]}, after_the_day)
    put_marker(stack_env, "PinterestTopic", 1, {DAY: lines[1]}, "2026-01-15T23:58:00.000Z")
    put_marker(stack_env, "PinterestTopic", 2, {DAY: lines[2]}, "2026-01-15T23:59:00.000Z", caught_up=after_the_day)

    env = {
        **os.environ,
        **stack_env,
        # Postgres through an Airflow connection, S3 through the DAG's PINPIPE_* fallback: both paths run
        "AIRFLOW_CONN_PINPIPE_POSTGRES": postgres_connection_json(stack_env),
        "PINPIPE_HOME": str(tmp_path / "pinpipe-home"),
        "PINPIPE_ARCHIVE_GRACE": str(10 * 365 * 86400),  # the day is long over: no grace in this run
    }
    env.pop("AIRFLOW_CONN_PINPIPE_S3", None)
    log_path = tmp_path / "dags-test.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([str(AIRFLOW), "dags", "test", "pinterest_batch", DAY], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            # the sensor waits while partition 1 lags; once its marker passes the day's end the run goes on
            deadline = datetime.now() + timedelta(seconds=240)
            while "not complete yet" not in log_path.read_text() and process.poll() is None and datetime.now() < deadline:
                threading.Event().wait(0.5)
            assert "not complete yet" in log_path.read_text(), log_path.read_text()[-6000:]
            assert process.poll() is None, "the run went on while partition 1 lagged"
            put_marker(stack_env, "PinterestTopic", 1, {DAY: lines[1]}, after_the_day)
            result = process.wait(timeout=600)
        finally:
            if process.poll() is None:
                process.kill()
    output = log_path.read_text()
    assert result == 0, f"airflow dags test failed ({log_path}):\n{output[-6000:]}"
    assert "complete in every partition [0, 1, 2]" in output, output[-6000:]

    rows = query(stack_env, "SELECT unique_id::text FROM pins_batch")
    assert {r[0] for r in rows} == expected_ids
    runs = query(stack_env, "SELECT rows_read, rows_written, rows_rejected, status, run_id FROM pipeline_runs "
                            "WHERE job = 'batch' AND date_from = %s", DAY)
    assert len(runs) == 1
    rows_read, rows_written, rows_rejected, status, run_id = runs[0]
    assert (rows_written, rows_rejected, status) == (len(archived_ids), len(HOSTILE_LINES), "succeeded")
    assert rows_read == rows_written + rows_rejected
    quarantined = query(stack_env, "SELECT convert_from(raw_value, 'UTF8'), reason FROM pins_rejected "
                                   "WHERE job = 'batch' AND run_id = %s", run_id)
    assert sorted(line for line, _ in quarantined) == sorted(HOSTILE_LINES)
    assert all(reason for _, reason in quarantined)


def insert_run(env: dict, day: str, status: str, read: int, written: int, rejected: int, quarantined: int) -> str:
    """A batch run row for ``day`` with the given figures, and ``quarantined`` rows of it in pins_rejected."""
    run_id = f"test-{day}-{random.randrange(1 << 30)}"
    host_port, database = env["PINPIPE_JDBC_URL"].removeprefix("jdbc:postgresql://").split("?")[0].split("/", 1)
    host, port = host_port.split(":")
    with psycopg.connect(host=host, port=int(port), dbname=database, user=env["PINPIPE_DB_USER"],
                         password=env["PINPIPE_DB_PASSWORD"], connect_timeout=10) as conn:
        conn.execute("INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to, rows_read, rows_written,"
                     " rows_rejected, status, started_at, finished_at) VALUES ('batch', %s, 0, %s, %s, %s, %s, %s, %s,"
                     " now(), now())", (run_id, day, day, read, written, rejected, status))
        for i in range(quarantined):
            conn.execute("INSERT INTO pins_rejected (job, source, raw_value, raw_length, reason, run_id)"
                         " VALUES ('batch', %s, %s, 1, 'test', %s)", (f"{run_id}#{i}", b"x", run_id))
    return run_id


@pytest.mark.parametrize("day, status, read, written, rejected, quarantined, archived, complaint", [
    ("2026-02-01", "succeeded", 10, 8, 2, 2, 10, None),
    ("2026-02-02", "succeeded", 10, 9, 0, 0, 10, "rows_read 10 != rows_written 9 + rows_rejected 0"),
    ("2026-02-03", "succeeded", 10, 8, 2, 1, 10, "rows_rejected 2 != 1 rows in pins_rejected"),
    ("2026-02-04", "failed", 10, 8, 2, 2, 10, "status is 'failed'"),
    ("2026-02-05", "succeeded", 10, 8, 2, 2, 11, "rows_read 10 != 11 lines the archive's markers count for 2026-02-05"),
    ("2026-02-06", "succeeded", 10, 8, 2, 2, 9, "rows_read 10 != 9 lines the archive's markers count for 2026-02-06"),
])
def test_check_fails_unless_the_run_adds_up(stack_env, monkeypatch, day, status, read, written, rejected, quarantined,
                                            archived, complaint):
    """The DAG's check against real pipeline_runs / pins_rejected rows: it passes only when they add up."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    spec = importlib.util.spec_from_file_location("pinterest_batch_module", DAGS_FOLDER / "pinterest_batch.py")
    pinterest_batch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pinterest_batch)
    monkeypatch.setenv("PINPIPE_JDBC_URL", stack_env["PINPIPE_JDBC_URL"])
    monkeypatch.setenv("PINPIPE_DB_USER", stack_env["PINPIPE_DB_USER"])
    monkeypatch.setenv("PINPIPE_DB_PASSWORD", stack_env["PINPIPE_DB_PASSWORD"])
    insert_run(stack_env, day, status, read, written, rejected, quarantined)
    hook = PostgresHook(connection=pinterest_batch._postgres_default())
    # the day's lines spread over three markers, as the archiver counts them
    markers = {p: {"partition": p, "counted_from_offset": 0, "days_from": "2026-01-01",
                   "lines_per_day": {day: archived // 3 + (1 if p < archived % 3 else 0), "2026-01-31": 7}}
               for p in range(3)}
    archive = pinterest_batch.archive_line_count(markers, [0, 1, 2], day)
    assert archive == {"lines": archived, "comparable": True, "why_not": []}
    if complaint is None:
        assert pinterest_batch.check_batch_run(hook, day, archive)["rows_rejected"] == rejected
    else:
        with pytest.raises(ValueError, match=re.escape(complaint)):
            pinterest_batch.check_batch_run(hook, day, archive)


def test_the_archive_count_is_not_compared_when_the_markers_do_not_cover_the_day(stack_env):
    spec = importlib.util.spec_from_file_location("pinterest_batch_module", DAGS_FOLDER / "pinterest_batch.py")
    pinterest_batch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pinterest_batch)
    markers = {0: {"partition": 0, "counted_from_offset": 0, "days_from": "2026-01-01", "lines_per_day": {"2026-02-01": 4}},
               1: {"partition": 1, "counted_from_offset": 500, "counted_from_day": "2026-02-01", "days_from": "2026-01-01",
                   "lines_per_day": {"2026-02-01": 3}}}
    archive = pinterest_batch.archive_line_count(markers, [0, 1, 2], "2026-02-01")
    assert archive["lines"] == 7 and not archive["comparable"]
    assert archive["why_not"] == ["partition 1 counts from offset 500 (day 2026-02-01)", "partition 2 has no marker"]
    assert pinterest_batch.archive_line_count(markers, [0, 1], "2026-02-02")["comparable"]
    assert not pinterest_batch.archive_line_count(markers, [0, 1], "2025-12-31")["comparable"]


def airflow_env(stack_env: dict, tmp_path, topic: str, **extra) -> dict:
    """The environment of an `airflow tasks test` on the stack, reading the markers of ``topic``."""
    return {**os.environ, **stack_env, "AIRFLOW_CONN_PINPIPE_POSTGRES": postgres_connection_json(stack_env),
            "PINPIPE_HOME": str(tmp_path / "pinpipe-home"), "PINPIPE_TOPIC": topic, **extra}


def test_once_the_grace_period_is_over_the_sensor_lets_the_run_go_on_naming_what_may_be_missing(stack_env, tmp_path):
    """A partition whose marker stops before the day's end and one without a marker: with the grace
    period over the sensor succeeds, and its log and result name both, with the lag of the first."""
    topic = "GraceTopic"
    day = "2026-03-01"
    put_marker(stack_env, topic, 0, {day: 5}, "2026-03-02T00:00:01.000Z")
    put_marker(stack_env, topic, 1, {day: 5}, "2026-03-01T23:00:00.000Z")  # an hour short of the day's end
    # partition 2: no marker at all (the topic's partition count says it exists); waiting while the
    # grace period lasts is shown by test_dags_test_archives_a_day_into_pins_batch
    over = subprocess.run([str(AIRFLOW), "tasks", "test", "pinterest_batch", "wait_for_archive", day],
                          env=airflow_env(stack_env, tmp_path, topic, PINPIPE_ARCHIVE_GRACE="0"),
                          capture_output=True, text=True, timeout=300)
    output = over.stdout + over.stderr
    assert "new_state=success" in output, output[-4000:]
    assert "grace period over" in output, output[-4000:]
    missing = json.loads(output.split("may be missing: ", 1)[1].splitlines()[0])
    assert [(m["partition"], m["marker"], m["lag_seconds"]) for m in missing] == [(1, True, 3600.0), (2, False, None)]

    spec = importlib.util.spec_from_file_location("pinterest_batch_module", DAGS_FOLDER / "pinterest_batch.py")
    pinterest_batch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pinterest_batch)
    report = pinterest_batch.assess_day({0: {"newest_record_time": "2026-03-02T00:00:01Z"},
                                         1: {"newest_record_time": "2026-03-01T23:00:00Z",
                                             "caught_up_at": "2026-03-02T00:00:00Z"}}, [0, 1], day)
    assert report["complete"], "caught up at the day's end counts as complete"


def test_the_check_task_fails_in_airflow_when_the_archive_counts_more_lines(stack_env, tmp_path):
    """`airflow tasks test … check_pipeline_run`: the run adds up, but the markers count a line more."""
    day, topic = "2026-02-11", "CheckTopic"
    insert_run(stack_env, day, "succeeded", 5, 4, 1, 1)
    put_marker(stack_env, topic, 0, {day: 4}, "2026-02-12T00:00:01.000Z")
    put_marker(stack_env, topic, 1, {day: 2}, "2026-02-12T00:00:01.000Z")
    put_marker(stack_env, topic, 2, {}, None, caught_up="2026-02-12T00:00:01.000Z")
    result = subprocess.run([str(AIRFLOW), "tasks", "test", "pinterest_batch", "check_pipeline_run", day],
                            env=airflow_env(stack_env, tmp_path, topic), capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert "rows_read 5 != 6 lines the archive's markers count for 2026-02-11" in output, output[-4000:]
    assert "new_state=success" not in output, output[-4000:]


def test_the_check_task_fails_in_airflow_when_the_run_does_not_add_up(stack_env, tmp_path):
    """`airflow tasks test … check_pipeline_run` on a day whose run lost a line: the task fails."""
    day = "2026-02-10"
    insert_run(stack_env, day, "succeeded", 5, 3, 1, 1)
    env = {**os.environ, **stack_env, "AIRFLOW_CONN_PINPIPE_POSTGRES": postgres_connection_json(stack_env),
           "PINPIPE_HOME": str(tmp_path / "pinpipe-home")}
    result = subprocess.run([str(AIRFLOW), "tasks", "test", "pinterest_batch", "check_pipeline_run", day], env=env,
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    # `tasks test` exits 0 whatever the task did; the task's own state tells (up for retry: it has retries)
    assert "ValueError: batch run" in output and "rows_read 5 != rows_written 3 + rows_rejected 1" in output, output[-4000:]
    assert "new_state=up_for_retry" in output or "new_state=failed" in output, output[-4000:]
    assert "new_state=success" not in output, output[-4000:]
