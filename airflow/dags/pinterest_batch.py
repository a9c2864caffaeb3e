"""The daily batch layer of pinpipe as an Airflow DAG: archive present → batch job → run checked."""

from __future__ import annotations

import json
import os
import shlex
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG, BaseHook, Connection, CronDataIntervalTimetable, Variable, task
from airflow.sdk.exceptions import AirflowNotFoundException

DAG_ID = "pinterest_batch"
S3_CONN_ID = "pinpipe_s3"
POSTGRES_CONN_ID = "pinpipe_postgres"
BATCH_COMMAND_VARIABLE = "pinpipe_batch_command"
BUCKET_VARIABLE = "pinpipe_s3_bucket"

# <repo>/airflow/dags/pinterest_batch.py → <repo>; PINPIPE_ROOT wins when the DAG file is copied elsewhere.
REPO_ROOT = Path(os.environ.get("PINPIPE_ROOT") or Path(__file__).resolve().parents[2])
DEFAULT_BATCH_COMMAND = f"{shlex.quote(str(REPO_ROOT / 'pinpipe'))} batch"

DOC_MD = f"""
# pinterest_batch — the batch layer, once a day

Every day at 10:00 UTC this DAG turns the previous UTC day's archive into rows of `pins_batch`:

1. **`wait_for_archive`** — waits (reschedule mode: no worker slot is held while waiting) until the
   bucket holds at least one object under `pins/dt={{{{ ds }}}}/`, the folder the archiver writes that
   day's pins to. Gives up after 6 hours.
2. **`run_batch_job`** — runs the Spark batch job for `{{{{ ds }}}}`: it reads that folder, applies
   the seven cleaning rules and upserts into `pins_batch`, recording itself in `pipeline_runs`.
   Re-running a day is safe (the newest Kafka offset wins, no duplicates).
3. **`check_pipeline_run`** — reads the newest `pipeline_runs` row of job `batch` for that date and
   fails unless it succeeded and its counted facts add up: `rows_read = rows_written + rows_rejected`
   (lines read by the scan, rows written to `pins_batch`, lines quarantined), and `rows_rejected`
   equals the rows of `pins_rejected` (job `batch`) carrying that run's `run_id`. The job counts
   each figure separately (none is computed from the others), so a lost or doubled line fails it.

A line the job cannot write (not a JSON object, an unusable `index`/`unique_id`/`category`, U+0000
in a text field, or a value PostgreSQL refuses) never fails the run: it goes to `pins_rejected` with
its reason, its source (`s3a://<bucket>/<key>#offset=<kafka offset>`, or `#sha256=<hash of the line>`
for a line without lineage) and its raw bytes, in the same transaction as the rows it travelled with.
Look there when `rows_rejected` is not 0.

Each task retries 3 times with exponential backoff (30 s, 60 s, 120 s, at most 15 min).

## Which day a run processes
The schedule is `0 10 * * *` with *data intervals* (`CronDataIntervalTimetable`): the run that
starts on day D+1 at 10:00 has logical date D 10:00, so `{{{{ ds }}}}` = D — a day whose archive is
complete, with ten hours' slack for late archive writes. A manual run processes the day of the
logical date you give it (trigger with a logical date: without one there is no `ds`).
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
| variable | `{BUCKET_VARIABLE}` | `wait_for_archive` | `PINPIPE_S3_BUCKET` or `pinterestdata` |
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


def archive_has_objects(prefix: str) -> bool:
    """True once the bucket holds an object under ``prefix`` (one LIST call of at most one key)."""
    import boto3  # imported here: only this task needs it, and DAG parsing stays fast
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
    found = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount", 0) > 0
    print(f"s3://{bucket}/{prefix}: {'objects present' if found else 'no objects yet'}")
    return found


NEWEST_BATCH_RUN_SQL = """
    SELECT r.run_id, r.status, r.rows_read, r.rows_written, r.rows_rejected,
           (SELECT count(*) FROM pins_rejected q WHERE q.job = r.job AND q.run_id = r.run_id) AS quarantined
      FROM pipeline_runs r
     WHERE r.job = 'batch' AND r.date_from = %s
     ORDER BY r.started_at DESC
     LIMIT 1
"""


def check_batch_run(hook, ds: str) -> dict:
    """The newest batch run for ``ds`` must exist, have succeeded, and add up from counted facts:
    rows_read = rows_written + rows_rejected, and rows_rejected = its rows in pins_rejected.
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
        doc_md="Waits until `pins/dt={{ ds }}/` in the archive bucket holds at least one object.",
        python_callable=archive_has_objects,
        op_kwargs={"prefix": "pins/dt={{ ds }}/"},
        mode="reschedule",
        poke_interval=timedelta(minutes=5),
        timeout=timedelta(hours=6),
        execution_timeout=timedelta(minutes=2),  # one poke
    )

    run_batch_job = BashOperator(
        task_id="run_batch_job",
        doc_md="Runs the Spark batch job for `{{ ds }}` (Variable `pinpipe_batch_command` + `--date <ds>`).",
        bash_command="{{ var.value.get('pinpipe_batch_command', default_batch_command) }} --date {{ ds }}",
        execution_timeout=timedelta(hours=1),
        max_active_tis_per_dag=1,  # … but one Spark job at a time: each takes the machine's cores

    )

    @task(task_id="check_pipeline_run", execution_timeout=timedelta(minutes=5))
    def check_pipeline_run(ds: str | None = None) -> dict:
        """Fails unless the newest batch run for ``ds`` succeeded and accounted for every line it read."""
        hook = PostgresHook(connection=_connection(POSTGRES_CONN_ID, _postgres_default()))
        return check_batch_run(hook, ds)

    wait_for_archive >> run_batch_job >> check_pipeline_run()
