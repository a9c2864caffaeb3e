"""The DAG folder imports cleanly and pinterest_batch has the shape its docs describe."""

import os
from datetime import timedelta

import pytest
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS_FOLDER


@pytest.fixture(scope="module")
def bag() -> DagBag:
    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="module")
def dag(bag):
    return bag.dags["pinterest_batch"]


def test_dag_folder_imports_without_errors(bag):
    assert bag.import_errors == {}
    assert set(bag.dags) == {"pinterest_batch"}


def test_tasks_run_sensor_then_job_then_check(dag):
    assert [t.task_id for t in dag.topological_sort()] == [
        "wait_for_archive",
        "run_batch_job",
        "check_pipeline_run",
    ]
    assert dag.get_task("wait_for_archive").upstream_task_ids == set()
    assert dag.get_task("run_batch_job").upstream_task_ids == {"wait_for_archive"}
    assert dag.get_task("check_pipeline_run").upstream_task_ids == {"run_batch_job"}
    assert dag.get_task("check_pipeline_run").downstream_task_ids == set()


def test_runs_daily_at_ten_utc_without_catchup(dag):
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 10 * * *"
    assert str(dag.timetable.timezone) == "UTC"
    assert dag.catchup is False
    assert dag.max_active_runs == 3
    assert dag.get_task("run_batch_job").max_active_tis_per_dag == 1
    assert {"pinpipe", "batch"} <= set(dag.tags)
    assert "SparkSubmitOperator" in dag.doc_md


def test_every_task_retries_with_exponential_backoff(dag):
    for t in dag.tasks:
        assert t.retries == 3, t.task_id
        assert t.retry_delay == timedelta(seconds=30), t.task_id
        assert t.retry_exponential_backoff == 2.0, t.task_id
        assert t.max_retry_delay == timedelta(minutes=15), t.task_id
        assert t.execution_timeout is not None, t.task_id
        assert t.doc_md, t.task_id


def test_sensor_waits_for_a_complete_day_in_reschedule_mode(dag):
    sensor = dag.get_task("wait_for_archive")
    assert type(sensor).__name__ == "PythonSensor"
    assert sensor.mode == "reschedule"
    assert sensor.op_kwargs == {"day": "{{ params.date or ds }}"}
    assert sensor.timeout == timedelta(hours=6).total_seconds()
    # test.sh sets PINPIPE_ARCHIVE_POKE_INTERVAL for speed; the DAG's default is 5 minutes
    assert sensor.poke_interval == float(os.environ.get("PINPIPE_ARCHIVE_POKE_INTERVAL", "300"))


def test_a_day_can_be_rerun_through_the_date_param(dag):
    assert "date" in dag.params
    assert dag.get_task("run_batch_job").bash_command.endswith(" --date {{ params.date or ds }}")
    assert "Late objects" in dag.doc_md


def test_batch_job_command_comes_from_a_variable_with_the_launcher_as_default(dag):
    job = dag.get_task("run_batch_job")
    assert type(job).__name__ == "BashOperator"
    assert "var.value.get('pinpipe_batch_command', default_batch_command)" in job.bash_command
    default = dag.user_defined_macros["default_batch_command"]
    assert default.endswith("/pinpipe batch")
