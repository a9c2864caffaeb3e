"""Without Airflow connections, the tasks reach the local stack through the PINPIPE_* variables."""

import importlib.util

import pytest

from conftest import DAGS_FOLDER


@pytest.fixture
def dag_module():
    spec = importlib.util.spec_from_file_location("pinterest_batch_module", DAGS_FOLDER / "pinterest_batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_postgres_default_follows_the_jdbc_url(dag_module, monkeypatch):
    monkeypatch.setenv("PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/pins?stringtype=unspecified")
    monkeypatch.setenv("PINPIPE_DB_USER", "alice")
    monkeypatch.setenv("PINPIPE_DB_PASSWORD", "s3cret")
    conn = dag_module._postgres_default()
    assert (conn.host, conn.port, conn.schema, conn.login, conn.password) == (
        "127.0.0.1", 15432, "pins", "alice", "s3cret")
    assert "stringtype" not in conn.extra_dejson


def test_postgres_default_without_variables_is_the_catalogues(dag_module, monkeypatch):
    for name in ("PINPIPE_JDBC_URL", "PINPIPE_DB_USER", "PINPIPE_DB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    conn = dag_module._postgres_default()
    assert (conn.host, conn.port, conn.schema, conn.login, conn.password) == (
        "127.0.0.1", 5432, "pinterest", "pinpipe", "pinpipe")


def test_s3_default_follows_the_variables(dag_module, monkeypatch):
    monkeypatch.setenv("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:19000")
    monkeypatch.setenv("PINPIPE_S3_REGION", "eu-west-1")
    monkeypatch.delenv("PINPIPE_S3_ACCESS_KEY", raising=False)
    monkeypatch.delenv("PINPIPE_S3_SECRET_KEY", raising=False)
    conn = dag_module._s3_default()
    assert (conn.login, conn.password) == ("pinpipe", "pinpipe-secret")
    assert conn.extra_dejson == {"endpoint_url": "http://127.0.0.1:19000", "region_name": "eu-west-1"}
