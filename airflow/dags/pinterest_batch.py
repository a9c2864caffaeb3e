"""The daily batch layer of pinpipe as an Airflow DAG: archive complete → batch job → run checked."""

from __future__ import annotations

import json
import os
import shlex
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG, BaseHook, Connection, CronDataIntervalTimetable, Param, PokeReturnValue, Variable, task
from airflow.sdk.exceptions import AirflowNotFoundException

DAG_ID = "pinterest_batch"
S3_CONN_ID = "pinpipe_s3"
POSTGRES_CONN_ID = "pinpipe_postgres"
BATCH_COMMAND_VARIABLE = "pinpipe_batch_command"
BUCKET_VARIABLE = "pinpipe_s3_bucket"
GRACE_VARIABLE = "pinpipe_archive_grace"
PARTITIONS_VARIABLE = "pinpipe_topic_partitions"
# The archive's folder, as the archiver and the batch job read it; read when the DAG is parsed.
ARCHIVE_FOLDER = os.environ.get("PINPIPE_S3_PREFIX", "pins").strip("/")
# the archiver's progress markers: beside the archive folder, never inside a dt= day it lists
PROGRESS_PREFIX = f"{ARCHIVE_FOLDER}_progress/"

# Seconds between pokes of wait_for_archive; read when the DAG is parsed (tests set a few seconds).
POKE_INTERVAL = timedelta(seconds=float(os.environ.get("PINPIPE_ARCHIVE_POKE_INTERVAL", "300")))
# The day a run processes: the `date` param of a triggered run, else the run's logical date.
DAY = "{{ params.date or ds }}"

# <repo>/airflow/dags/pinterest_batch.py → <repo>; PINPIPE_ROOT wins when the DAG file is copied elsewhere.
REPO_ROOT = Path(os.environ.get("PINPIPE_ROOT") or Path(__file__).resolve().parents[2])
DEFAULT_BATCH_COMMAND = f"{shlex.quote(str(REPO_ROOT / 'pinpipe'))} batch"

DOC_MD = f"""
# pinterest_batch — the batch layer, once a day

Every day at 10:00 UTC this DAG turns the previous UTC day's archive into rows of `pins_batch`:

1. **`wait_for_archive`** — waits (reschedule mode: no worker slot is held while waiting) until the
   archive of the day D is *complete*: the archiver keeps one progress marker per partition in the
   bucket (`{PROGRESS_PREFIX}<topic>+<partition>.json`, format in batch-consumer/README.md), and a
   partition is complete for D once its marker shows a record timed at or after the end of D made
   durable (`newest_record_time`), or the archiver caught up with the partition's end after D ended
   (`caught_up_at`). The partitions waited for are those with a marker plus `0 … n-1` for the topic's
   partition count `n` (Variable `{PARTITIONS_VARIABLE}`, default 3), so a partition
   whose marker is missing is waited for too. Pokes every `PINPIPE_ARCHIVE_POKE_INTERVAL` seconds
   (default 300). **Grace:** once the end of D plus the grace period (Variable `{GRACE_VARIABLE}`, seconds,
   default 12 h: two hours after the scheduled 10:00 start) has passed, the run goes on with what is
   there, and the sensor's result (XCom, also printed in its log) names each incomplete partition and
   how far its durable progress is behind the end of D (`lag_seconds`; no marker: unknown).
2. **`run_batch_job`** — runs the Spark batch job for D: it reads `{ARCHIVE_FOLDER}/dt=D/`, applies
   the seven cleaning rules and upserts into `pins_batch`, recording itself in `pipeline_runs`.
   Re-running a day is safe (the newest Kafka offset wins, no duplicates).
3. **`check_pipeline_run`** — reads the newest `pipeline_runs` row of job `batch` for that date and
   fails unless it succeeded and its counted facts add up: `rows_read = rows_written + rows_rejected`
   (lines read by the scan, rows written to `pins_batch`, lines quarantined), and `rows_rejected`
   equals the rows of `pins_rejected` (job `batch`) carrying that run's `run_id`. The job counts
   each figure separately (none is computed from the others), so a lost or doubled line fails it.
   It also compares `rows_read` with the archive's own count: the day's `lines_per_day` summed over
   the markers must equal it (so a line the batch missed, or an object that arrived after the run,
   fails the check). The comparison is skipped, and the result says why, when a marker is missing or
   does not count the whole day (it began counting that day, or the day is past its retention). The
   result also carries the sensor's completeness report.

## Late objects: re-running a day
Objects that reach `{ARCHIVE_FOLDER}/dt=D/` after D's run (an archiver that was behind past the grace period)
are not read by that run; its check fails if the markers already counted them. To pick them up,
re-run the day: **clear** the run of D (UI: the run → Clear, or
`airflow tasks clear pinterest_batch -s D -e D`), or **trigger** `pinterest_batch` with the param
`{{"date": "D"}}` (UI: Trigger → date; REST: `"conf": {{"date": "D"}}`), which processes D whatever
the logical date of the triggered run. The batch job upserts, so a re-run adds the late lines and
changes nothing else, and its check compares the new run with the markers again.

A line the job cannot write (not a JSON object, an unusable `index`/`unique_id`/`category`, U+0000
in a text field, or a value PostgreSQL refuses) never fails the run: it goes to `pins_rejected` with
its reason, its source (`s3a://<bucket>/<key>#offset=<kafka offset>`, or `#sha256=<hash of the line>`
for a line without lineage) and its raw bytes, in the same transaction as the rows it travelled with.
Look there when `rows_rejected` is not 0.

Each task retries 3 times with exponential backoff (30 s, 60 s, 120 s, at most 15 min).

## Which day a run processes
The schedule is `0 10 * * *` with *data intervals* (`CronDataIntervalTimetable`): the run that
starts on day D+1 at 10:00 has logical date D 10:00, so `{{{{ ds }}}}` = D, ten hours after D ended;
the sensor still checks the markers. A manual run processes the day of its `date` param if given,
else of the logical date you give it.
`catchup` is off: unpausing does not replay missed days; trigger those by hand.

## Why a BashOperator and not `SparkSubmitOperator`
The Spark provider's `SparkSubmitOperator` needs a `spark-submit` binary, i.e. a Spark distribution
beside Airflow; the provider's `pyspark-client` dependency has none. The job is a self-contained
shaded jar that runs Spark in `local[*]`, so `run_batch_job` calls the launcher the same way a user
does (`./pinpipe batch --date D`): one code path, no second Spark install to keep in step.
On a cluster, set the Variable `{BATCH_COMMAND_VARIABLE}` to e.g.
`spark-submit --master yarn --class dev.pinpipe.batch.BatchJob batch-spark-job.jar`; the DAG
appends `--date <ds>` to whatever command it holds.

## Configuration
| kind | id | used by | default when absent |
|---|---|---|---|
| connection | `{S3_CONN_ID}` | `wait_for_archive` | login/password/extra `endpoint_url`, `region_name` from `PINPIPE_S3_ACCESS_KEY`, `PINPIPE_S3_SECRET_KEY`, `PINPIPE_S3_ENDPOINT`, `PINPIPE_S3_REGION` (`pinpipe`, `pinpipe-secret`, `http://127.0.0.1:9000`, `us-east-1`) |
| connection | `{POSTGRES_CONN_ID}` | `check_pipeline_run` | from `PINPIPE_JDBC_URL`, `PINPIPE_DB_USER`, `PINPIPE_DB_PASSWORD` (`jdbc:postgresql://127.0.0.1:5432/pinterest`, `pinpipe`, `pinpipe`) |
| variable | `{BUCKET_VARIABLE}` | `wait_for_archive`, `check_pipeline_run` | `PINPIPE_S3_BUCKET` or `pinterestdata` |
| variable | `{GRACE_VARIABLE}` | `wait_for_archive` | `PINPIPE_ARCHIVE_GRACE` or `43200` (seconds after the end of the day) |
| variable | `{PARTITIONS_VARIABLE}` | `wait_for_archive`, `check_pipeline_run` | `PINPIPE_TOPIC_PARTITIONS` or `3` |
| environment | `PINPIPE_ARCHIVE_POKE_INTERVAL` | `wait_for_archive` (read at parse time) | `300` seconds |
| environment | `PINPIPE_TOPIC` | both | `PinterestTopic` (the markers' topic) |
| variable | `{BATCH_COMMAND_VARIABLE}` | `run_batch_job` | `<repo>/pinpipe batch` (the job itself reads the `PINPIPE_*` variables) |
"""


def _connection(conn_id: str, default: Connection) -> Connection:
    """The Airflow connection if one is defined, else the local default built from PINPIPE_* variables."""
    try:
        return BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return default


def _s3_default() -> Connection:
    return Connection(
        conn_id=S3_CONN_ID,
        conn_type="aws",
        login=os.environ.get("PINPIPE_S3_ACCESS_KEY", "pinpipe"),
        password=os.environ.get("PINPIPE_S3_SECRET_KEY", "pinpipe-secret"),
        extra=json.dumps({
            "endpoint_url": os.environ.get("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:9000"),
            "region_name": os.environ.get("PINPIPE_S3_REGION", "us-east-1"),
        }),
    )


def _postgres_default() -> Connection:
    jdbc_url = os.environ.get("PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/pinterest")
    url = urlsplit(jdbc_url.removeprefix("jdbc:"))
    # JDBC-only parameters (stringtype, reWriteBatchedInserts, …) mean nothing to psycopg
    params = dict(parse_qsl(url.query))
    return Connection(
        conn_id=POSTGRES_CONN_ID,
        conn_type="postgres",
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        schema=url.path.lstrip("/") or "pinterest",
        login=params.get("user") or os.environ.get("PINPIPE_DB_USER", "pinpipe"),
        password=params.get("password") or os.environ.get("PINPIPE_DB_PASSWORD", "pinpipe"),
        extra=json.dumps({"connect_timeout": 10}),
    )


def _setting(variable: str, env: str, default) -> str:
    """An Airflow Variable, else the environment variable, else the default."""
    return str(Variable.get(variable, default=os.environ.get(env, default)))


def _s3():
    """(client, bucket) for the archive, from the pinpipe_s3 connection or the PINPIPE_* defaults."""
    import boto3  # imported here: only these tasks need it, and DAG parsing stays fast
    from botocore.config import Config

    conn = _connection(S3_CONN_ID, _s3_default())
    extra = conn.extra_dejson
    bucket = Variable.get(BUCKET_VARIABLE, default=os.environ.get("PINPIPE_S3_BUCKET", "pinterestdata"))
    s3 = boto3.client(
        "s3",
        endpoint_url=extra.get("endpoint_url") or None,  # None = AWS itself
        region_name=extra.get("region_name", "us-east-1"),
        aws_access_key_id=conn.login or None,
        aws_secret_access_key=conn.password or None,
        config=Config(
            s3={"addressing_style": "path"},
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )
    return s3, bucket


def read_markers(s3, bucket: str, topic: str | None = None) -> dict[int, dict]:
    """The archiver's progress markers of ``topic``, by partition."""
    topic = topic or os.environ.get("PINPIPE_TOPIC", "PinterestTopic")
    markers = {}
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{PROGRESS_PREFIX}{topic}+")
    for page in pages:
        for item in page.get("Contents", []):
            marker = json.loads(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
            markers[int(marker["partition"])] = marker
    return markers


def _expected_partitions(markers: dict[int, dict]) -> list[int]:
    count = int(_setting(PARTITIONS_VARIABLE, "PINPIPE_TOPIC_PARTITIONS", "3"))
    return sorted(set(markers) | set(range(count)))


def _day_end(day: str) -> datetime:
    return datetime.combine(datetime.fromisoformat(day).date() + timedelta(days=1), time(), tzinfo=timezone.utc)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def assess_day(markers: dict[int, dict], partitions: list[int], day: str) -> dict:
    """Which partitions have their archive of ``day`` complete: a durable record timed at or after
    the day's end, or caught up after it ended. Incomplete ones carry how far behind the day's end
    their durable progress is (``lag_seconds``; None without a marker)."""
    end = _day_end(day)
    incomplete = []
    for p in partitions:
        marker = markers.get(p)
        if marker is None:
            incomplete.append({"partition": p, "marker": False, "lag_seconds": None})
            continue
        reached = [t for t in (_time(marker.get("newest_record_time")), _time(marker.get("caught_up_at"))) if t]
        progress = max(reached) if reached else None
        if progress is not None and progress >= end:
            continue
        incomplete.append({
            "partition": p, "marker": True,
            "newest_record_time": marker.get("newest_record_time"), "caught_up_at": marker.get("caught_up_at"),
            "lag_seconds": round((end - progress).total_seconds(), 3) if progress else None,
        })
    return {"day": day, "complete": not incomplete, "partitions": partitions, "incomplete": incomplete}


def archive_day_complete(day: str) -> PokeReturnValue:
    """The sensor: done once every partition's archive of ``day`` is complete, or the grace period
    after the day's end has passed (then the report says what may be missing)."""
    s3, bucket = _s3()
    markers = read_markers(s3, bucket)
    report = assess_day(markers, _expected_partitions(markers), day)
    grace = timedelta(seconds=float(_setting(GRACE_VARIABLE, "PINPIPE_ARCHIVE_GRACE", "43200")))
    deadline = _day_end(day) + grace
    report["deadline"] = deadline.isoformat()
    if report["complete"]:
        print(f"archive of {day} complete in every partition {report['partitions']}")
        return PokeReturnValue(is_done=True, xcom_value=report)
    if datetime.now(timezone.utc) >= deadline:
        report["grace_expired"] = True
        print(f"WARNING: grace period over ({deadline.isoformat()}): going on with an incomplete archive of {day}; "
              f"may be missing: {json.dumps(report['incomplete'])}")
        return PokeReturnValue(is_done=True, xcom_value=report)
    print(f"archive of {day} not complete yet, waiting (until {deadline.isoformat()} at most): "
          f"{json.dumps(report['incomplete'])}")
    return PokeReturnValue(is_done=False)


def archive_line_count(markers: dict[int, dict], partitions: list[int], day: str) -> dict:
    """The day's lines summed over the markers, or why they cannot be compared: a marker missing,
    counting only since that day (``counted_from_*``), or the day older than its ``days_from``."""
    lines, why = 0, []
    for p in partitions:
        marker = markers.get(p)
        if marker is None:
            why.append(f"partition {p} has no marker")
            continue
        counted_from = marker.get("counted_from_day")
        if marker.get("counted_from_offset", 0) != 0 and (counted_from is None or counted_from >= day):
            why.append(f"partition {p} counts from offset {marker.get('counted_from_offset')} (day {counted_from})")
        if marker.get("days_from") and day < marker["days_from"]:
            why.append(f"partition {p} keeps counts from {marker['days_from']} only")
        lines += int(marker.get("lines_per_day", {}).get(day, 0))
    return {"lines": lines, "comparable": not why, "why_not": why}


NEWEST_BATCH_RUN_SQL = """
    SELECT r.run_id, r.status, r.rows_read, r.rows_written, r.rows_rejected,
           (SELECT count(*) FROM pins_rejected q WHERE q.job = r.job AND q.run_id = r.run_id) AS quarantined
      FROM pipeline_runs r
     WHERE r.job = 'batch' AND r.date_from = %s
     ORDER BY r.started_at DESC
     LIMIT 1
"""


def check_batch_run(hook, ds: str, archive: dict | None = None) -> dict:
    """The newest batch run for ``ds`` must exist, have succeeded, and add up from counted facts:
    rows_read = rows_written + rows_rejected, rows_rejected = its rows in pins_rejected, and, when
    ``archive`` (archive_line_count) is comparable, rows_read = the archive's line count.
    Raises ValueError naming what does not hold; returns the run's figures."""
    row = hook.get_first(NEWEST_BATCH_RUN_SQL, parameters=(ds,))
    if row is None:
        raise ValueError(f"no pipeline_runs row of job 'batch' for {ds}")
    run = dict(zip(("run_id", "status", "rows_read", "rows_written", "rows_rejected", "quarantined"), row))
    print(f"newest batch run for {ds}: {run}")
    problems = []
    if run["status"] != "succeeded":
        problems.append(f"status is {run['status']!r}")
    if run["rows_read"] != run["rows_written"] + run["rows_rejected"]:
        problems.append(f"rows_read {run['rows_read']} != rows_written {run['rows_written']} "
                        f"+ rows_rejected {run['rows_rejected']}")
    if run["rows_rejected"] != run["quarantined"]:
        problems.append(f"rows_rejected {run['rows_rejected']} != {run['quarantined']} rows in pins_rejected")
    if archive is not None:
        run["archive"] = archive
        if archive["comparable"] and run["rows_read"] != archive["lines"]:
            problems.append(f"rows_read {run['rows_read']} != {archive['lines']} lines the archive's markers count for {ds}")
        elif not archive["comparable"]:
            print(f"archive count not compared: {'; '.join(archive['why_not'])}")
    if problems:
        raise ValueError(f"batch run {run['run_id']} for {ds}: " + "; ".join(problems))
    return run


with DAG(
    dag_id=DAG_ID,
    description="S3 archive of one day → Spark batch job → pins_batch, checked in pipeline_runs",
    doc_md=DOC_MD,
    schedule=CronDataIntervalTimetable("0 10 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # several days may wait for their archive at once (the sensor holds no slot while waiting) …
    max_active_runs=3,
    tags=["pinpipe", "batch", "spark", "s3", "postgres"],
    user_defined_macros={"default_batch_command": DEFAULT_BATCH_COMMAND},
    # a day to (re)process instead of the logical date's: how late objects are picked up
    params={"date": Param(None, type=["null", "string"], pattern=r"^\d{4}-\d{2}-\d{2}$",
                          description="YYYY-MM-DD: the archive day to process (default: the logical date's)")},
    default_args={
        "owner": "pinpipe",
        "retries": 3,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=15),
    },
) as dag:
    wait_for_archive = PythonSensor(
        task_id="wait_for_archive",
        doc_md="Waits until the progress markers show the day's archive complete in every partition, "
               "or the grace period is over (its XCom then names what may be missing).",
        python_callable=archive_day_complete,
        op_kwargs={"day": DAY},
        mode="reschedule",
        poke_interval=POKE_INTERVAL,
        timeout=timedelta(hours=6),
        execution_timeout=timedelta(minutes=2),  # one poke
    )

    run_batch_job = BashOperator(
        task_id="run_batch_job",
        doc_md="Runs the Spark batch job for the day (Variable `pinpipe_batch_command` + `--date <day>`).",
        bash_command="{{ var.value.get('pinpipe_batch_command', default_batch_command) }} --date " + DAY,
        execution_timeout=timedelta(hours=1),
        max_active_tis_per_dag=1,  # … but one Spark job at a time: each takes the machine's cores

    )

    @task(task_id="check_pipeline_run", execution_timeout=timedelta(minutes=5))
    def check_pipeline_run(ds: str | None = None, params: dict | None = None, ti=None) -> dict:
        """Fails unless the newest batch run for the day succeeded, accounted for every line it read,
        and read as many lines as the archive's markers count; its result carries the sensor's report."""
        day = (params or {}).get("date") or ds
        s3, bucket = _s3()
        markers = read_markers(s3, bucket)
        archive = archive_line_count(markers, _expected_partitions(markers), day)
        hook = PostgresHook(connection=_connection(POSTGRES_CONN_ID, _postgres_default()))
        run = check_batch_run(hook, day, archive)
        run["completeness"] = ti.xcom_pull(task_ids="wait_for_archive") if ti else None
        if run["completeness"] and not run["completeness"].get("complete", True):
            print(f"WARNING: the run went on with an incomplete archive of {day}: "
                  f"{json.dumps(run['completeness']['incomplete'])}")
        return run

    wait_for_archive >> run_batch_job >> check_pipeline_run()
