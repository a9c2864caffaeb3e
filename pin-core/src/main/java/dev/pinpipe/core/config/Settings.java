package dev.pinpipe.core.config;

import dev.pinpipe.core.Secrets;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue: every PINPIPE_* setting and every name the pipeline's processes must agree on,
 * each declared once. Services, Spark jobs, the local stack and the checks read their settings from
 * here; docs/configuration.md is generated from it ({@link #markdownTable()}), and the launcher,
 * compose and the DAG are checked against it by tests.
 */
public final class Settings {

    // --- names the processes share (the contract's; a variable changes them for every process) ---

    public static final Setting TOPIC = define("PINPIPE_TOPIC", "PinterestTopic",
            "the Kafka topic pins are published to (key `unique_id`)",
            "ingest-api, batch-consumer, stream job, local stack, pipeline-check, bench");
    public static final Setting DLT_TOPIC = define("PINPIPE_DLT_TOPIC", "${PINPIPE_TOPIC}.DLT",
            "the dead-letter topic: records the archiver cannot archive, with their original key and value",
            "batch-consumer, local stack, pipeline-check");
    public static final Setting TOPIC_PARTITIONS = define("PINPIPE_TOPIC_PARTITIONS", "3",
            "partitions of the topic and its DLT; the DAG waits for this many progress markers (Variable `pinpipe_topic_partitions` wins)",
            "local stack, Airflow");
    public static final Setting ARCHIVER_GROUP = define("PINPIPE_ARCHIVER_GROUP", "pin-archiver",
            "the archiver's Kafka consumer group", "batch-consumer, pipeline-check");
    public static final Setting S3_BUCKET = define("PINPIPE_S3_BUCKET", "pinterestdata",
            "the archive's bucket", "batch-consumer, batch job, local stack, Airflow, pipeline-check");
    public static final Setting S3_PREFIX = define("PINPIPE_S3_PREFIX", "pins",
            "the archive's folder in the bucket, before `dt=<day>/`", "batch-consumer, batch job, Airflow, pipeline-check");

    // --- Kafka ---

    public static final Setting KAFKA_PORT = define("PINPIPE_KAFKA_PORT", "9092",
            "the local stack's (first) Kafka broker port", "local stack, launcher");
    public static final Setting KAFKA_BROKERS = define("PINPIPE_KAFKA_BROKERS", "1",
            "brokers of the local stack's Kafka (`3`: consecutive ports from `PINPIPE_KAFKA_PORT`, topics replicated three times, `min.insync.replicas=2`; `up --cluster` sets 3)",
            "local stack, launcher");
    public static final Setting KAFKA_BOOTSTRAP = define("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:${PINPIPE_KAFKA_PORT}",
            "Kafka's bootstrap servers", "ingest-api, batch-consumer, stream job, pipeline-check, bench");
    public static final Setting KAFKA_PROPERTIES_FILE = define("PINPIPE_KAFKA_PROPERTIES_FILE", "",
            "a `.properties` file of further Kafka client settings (TLS, SASL, MSK IAM) for every Kafka client; settings the pipeline owns and unknown keys stop start-up ([cluster.md](cluster.md#tls-sasl-and-msk-iam))",
            "ingest-api, batch-consumer, stream job");

    // --- S3 ---

    public static final Setting S3_PORT = define("PINPIPE_S3_PORT", "9000", "the local stack's S3 server port", "local stack, launcher");
    public static final Setting S3_ENDPOINT = define("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:${PINPIPE_S3_PORT}",
            "the S3 endpoint; empty: AWS's own for the region", "batch-consumer, batch job, Airflow, pipeline-check");
    public static final Setting S3_REGION = define("PINPIPE_S3_REGION", "us-east-1", "the S3 region",
            "batch-consumer, batch job, Airflow, pipeline-check");
    public static final Setting S3_ACCESS_KEY = define("PINPIPE_S3_ACCESS_KEY", "pinpipe",
            "S3 access key; the `aws` profile and an empty endpoint use the default AWS credential chain",
            "batch-consumer, batch job, Airflow, pipeline-check");
    public static final Setting S3_SECRET_KEY = secret("PINPIPE_S3_SECRET_KEY", "pinpipe-secret",
            "S3 secret key, or the file `PINPIPE_S3_SECRET_KEY_FILE` names (not both)",
            "batch-consumer, batch job, Airflow, pipeline-check");
    public static final Setting S3_PATH_STYLE = define("PINPIPE_S3_PATH_STYLE", "true",
            "path-style S3 addresses (`http://host/bucket/key`), as local S3 servers need", "batch-consumer, pipeline-check");
    public static final Setting S3_CHECKSUMS = define("PINPIPE_S3_CHECKSUMS", "when-required",
            "`when-required` or `when-supported` (the SDK's CRC32 on every PUT; the `aws` profile's)", "batch-consumer");
    public static final Setting S3_SIGN_PAYLOAD_OVER_HTTP = define("PINPIPE_S3_SIGN_PAYLOAD_OVER_HTTP", "false",
            "over a plain-http endpoint also sign the body (only the headers otherwise, as the SDK does over https)",
            "batch-consumer");
    public static final Setting S3_CALL_TIMEOUT = define("PINPIPE_S3_CALL_TIMEOUT", "30s",
            "longest one S3 call may take", "batch-consumer");

    // --- PostgreSQL ---

    public static final Setting PG_PORT = define("PINPIPE_PG_PORT", "5432", "the local stack's PostgreSQL port", "local stack, launcher");
    public static final Setting PG_SYNCHRONOUS_COMMIT = define("PINPIPE_PG_SYNCHRONOUS_COMMIT", "on",
            "`on`: a commit returns once its WAL is on disk; `off`: cheaper commits a crash of PostgreSQL takes back",
            "local stack");
    public static final Setting JDBC_URL = define("PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:${PINPIPE_PG_PORT}/pinterest",
            "the database", "both Spark jobs, Airflow, `./pinpipe migrate`, `./pinpipe report`, `./pinpipe sql` (without psql), pipeline-check");
    public static final Setting DB_USER = define("PINPIPE_DB_USER", "pinpipe", "the database user",
            "both Spark jobs, Airflow, `./pinpipe migrate`, `./pinpipe report`, `./pinpipe sql` (without psql), pipeline-check");
    public static final Setting DB_PASSWORD = secret("PINPIPE_DB_PASSWORD", "pinpipe",
            "the database password, or the file `PINPIPE_DB_PASSWORD_FILE` names (not both)",
            "both Spark jobs, Airflow, `./pinpipe migrate`, `./pinpipe report`, `./pinpipe sql` (without psql), pipeline-check");

    // --- listeners and the API ---

    public static final Setting BIND_ADDRESS = define("PINPIPE_BIND_ADDRESS", "127.0.0.1",
            "the address the processes listen on; `0.0.0.0` opens every interface ([security.md](security.md))",
            "the Spring services, both Spark jobs in local mode (driver, block manager, Spark UI through `SPARK_LOCAL_IP`)");
    public static final Setting API_PORT = define("PINPIPE_API_PORT", "8000", "the ingest API's port", "ingest-api, launcher");
    public static final Setting API_MANAGEMENT_PORT = define("PINPIPE_API_MANAGEMENT_PORT", "8100",
            "the ingest API's actuator (health, probes, prometheus, metrics); its own port serves none",
            "ingest-api, launcher, bench");
    public static final Setting API_URL = define("PINPIPE_API_URL", "http://127.0.0.1:${PINPIPE_API_PORT}",
            "where clients find the ingest API", "user-emulator, pipeline-check, bench");
    public static final Setting API_KEY = secret("PINPIPE_API_KEY", "",
            "unset: the API is open; set: `POST /pin` and `/pins` need header `X-API-Key` with this value, else 401 (or the file `PINPIPE_API_KEY_FILE` names)",
            "ingest-api, user-emulator, bench");
    public static final Setting API_THREADS = define("PINPIPE_API_THREADS", "64", "the ingest API's request threads", "ingest-api");
    public static final Setting ARCHIVER_PORT = define("PINPIPE_ARCHIVER_PORT", "8001",
            "the archiver's server port (it serves no endpoint)", "batch-consumer, launcher");
    public static final Setting ARCHIVER_MANAGEMENT_PORT = define("PINPIPE_ARCHIVER_MANAGEMENT_PORT", "8101",
            "the archiver's actuator (health, prometheus, metrics)", "batch-consumer, launcher");
    public static final Setting AIRFLOW_PORT = define("PINPIPE_AIRFLOW_PORT", "8080", "Airflow's web server", "launcher");

    // --- ingest ---

    public static final Setting INGEST_MAX_BODY_SIZE = define("PINPIPE_INGEST_MAX_BODY_SIZE", "1000KB",
            "largest body `POST /pin` reads (larger: 413); with its record overhead it must fit the topic's `max.message.bytes`",
            "ingest-api");
    public static final Setting INGEST_MAX_BATCH_BODY_SIZE = define("PINPIPE_INGEST_MAX_BATCH_BODY_SIZE", "16MB",
            "largest body `POST /pins` reads (larger: 413)", "ingest-api");
    public static final Setting INGEST_MAX_BATCH_PINS = define("PINPIPE_INGEST_MAX_BATCH_PINS", "10000",
            "most pins one `POST /pins` may carry (more: 413)", "ingest-api");
    public static final Setting INGEST_ACK_TIMEOUT = define("PINPIPE_INGEST_ACK_TIMEOUT", "4s",
            "longest a request waits for the broker's ack; a little above the producer's `delivery.timeout.ms` (3 s), so the producer reports first",
            "ingest-api");
    public static final Setting INGEST_RETRY_AFTER = define("PINPIPE_INGEST_RETRY_AFTER", "2s",
            "the `Retry-After` a 503 advertises", "ingest-api");
    public static final Setting INGEST_HEALTH_TIMEOUT = define("PINPIPE_INGEST_HEALTH_TIMEOUT", "2s",
            "how long the Kafka health check waits for the cluster", "ingest-api");

    // --- archive ---

    public static final Setting ARCHIVE_FLUSH_SIZE = define("PINPIPE_ARCHIVE_FLUSH_SIZE", "1000",
            "lines in a partition's buffer that make the archiver write an object", "batch-consumer");
    public static final Setting ARCHIVE_ROTATE_INTERVAL = define("PINPIPE_ARCHIVE_ROTATE_INTERVAL", "10s",
            "longest a line waits in the buffer before its object is written", "batch-consumer");
    public static final Setting ARCHIVE_CONCURRENCY = define("PINPIPE_ARCHIVE_CONCURRENCY", "3",
            "the archiver's listener threads", "batch-consumer");
    public static final Setting ARCHIVE_RETRY_INITIAL = define("PINPIPE_ARCHIVE_RETRY_INITIAL", "500ms",
            "first back-off after an S3 failure (doubling)", "batch-consumer");
    public static final Setting ARCHIVE_RETRY_MAX = define("PINPIPE_ARCHIVE_RETRY_MAX", "30s",
            "longest back-off after S3 failures", "batch-consumer");
    public static final Setting ARCHIVE_PROGRESS_INTERVAL = define("PINPIPE_ARCHIVE_PROGRESS_INTERVAL", "30s",
            "a partition's progress marker is written at most this often under load, and refreshed this often while caught up",
            "batch-consumer");
    public static final Setting ARCHIVE_PROGRESS_RETENTION = define("PINPIPE_ARCHIVE_PROGRESS_RETENTION", "45d",
            "days of per-day line counts a progress marker keeps", "batch-consumer");
    public static final Setting ARCHIVE_POKE_INTERVAL = define("PINPIPE_ARCHIVE_POKE_INTERVAL", "300",
            "seconds between the DAG's checks of the progress markers", "Airflow");
    public static final Setting ARCHIVE_GRACE = define("PINPIPE_ARCHIVE_GRACE", "43200",
            "seconds after a day's end until the DAG processes an incomplete archive (Variable `pinpipe_archive_grace` wins)",
            "Airflow");

    // --- the stream job ---

    public static final Setting STREAM_MODE = define("PINPIPE_STREAM_MODE", "real-time",
            "`real-time`: Spark's Real-time mode, one long-running task per Kafka partition (a task slot each); `micro-batch`: a Spark job per trigger interval (`up --cluster`'s choice when unset)",
            "stream job, launcher");
    public static final Setting STREAM_TRIGGER = define("PINPIPE_STREAM_TRIGGER", "1s",
            "micro-batch mode: the trigger interval (`500ms`, `1s`, `2m`)", "stream job");
    public static final Setting STREAM_EPOCH = define("PINPIPE_STREAM_EPOCH", "1m",
            "real-time mode: how often the offsets are checkpointed", "stream job");
    public static final Setting STREAM_MAX_OFFSETS_PER_TRIGGER = define("PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER", "50000",
            "micro-batch mode: most Kafka records per micro-batch (bites only when catching up)", "stream job");
    public static final Setting STREAM_CHECKPOINT = define("PINPIPE_STREAM_CHECKPOINT", "${PINPIPE_HOME}/checkpoints/stream",
            "the stream query's checkpoint (a directory or `s3a://…`)", "stream job");
    public static final Setting STREAM_METRICS_FILE = define("PINPIPE_STREAM_METRICS_FILE", "${PINPIPE_HOME}/metrics/stream-batches.ndjson",
            "one JSON line per micro-batch", "stream job");
    public static final Setting SPARK_MASTER = define("PINPIPE_SPARK_MASTER", "",
            "the Spark jobs' master; unset: spark-submit's `--master`, else local mode", "both Spark jobs");

    // --- the launcher and the local cluster ---

    public static final Setting HOME = define("PINPIPE_HOME", ".pinpipe", "runtime data, logs, checkpoints",
            "launcher, local stack, stream job, pipeline-check");
    public static final Setting SPARK_HOME = define("PINPIPE_SPARK_HOME", "spark-home/target/spark-home",
            "the `SPARK_HOME` of the local Spark standalone cluster (built by the `spark-home` module when missing)",
            "launcher (`--cluster`)");
    public static final Setting SPARK_MASTER_PORT = define("PINPIPE_SPARK_MASTER_PORT", "7077",
            "the local Spark master's RPC port", "launcher (`--cluster`)");
    public static final Setting SPARK_MASTER_UI_PORT = define("PINPIPE_SPARK_MASTER_UI_PORT", "18080",
            "the local Spark master's web UI (JSON at `/json/`)", "launcher (`--cluster`)");
    public static final Setting SPARK_WORKER_UI_PORT = define("PINPIPE_SPARK_WORKER_UI_PORT", "18081",
            "the first local worker's web UI; worker n's is this + n − 1", "launcher (`up --cluster`)");
    public static final Setting SPARK_WORKERS = define("PINPIPE_SPARK_WORKERS", "2", "local Spark workers", "launcher (`up --cluster`)");
    public static final Setting SPARK_WORKER_CORES = define("PINPIPE_SPARK_WORKER_CORES", "1",
            "cores each local worker offers", "launcher (`up --cluster`)");
    public static final Setting SPARK_WORKER_MEMORY = define("PINPIPE_SPARK_WORKER_MEMORY", "1g",
            "memory each local worker offers", "launcher (`up --cluster`)");
    public static final Setting SPARK_STREAM_CORES = define("PINPIPE_SPARK_STREAM_CORES", "1",
            "`spark.cores.max` of the stream job `up --cluster` submits; the other cores stay for the batch job",
            "launcher (`up --cluster`)");
    public static final Setting START_TIMEOUT = define("PINPIPE_START_TIMEOUT", "180",
            "seconds a service may take to become healthy", "launcher");
    public static final Setting STOP_TIMEOUT = define("PINPIPE_STOP_TIMEOUT", "30",
            "seconds between SIGTERM and SIGKILL", "launcher");
    public static final Setting STACK_JAVA_OPTS = define("PINPIPE_STACK_JAVA_OPTS", "",
            "JVM options of the local stack (default: local-stack/jvm.options)", "launcher");
    public static final Setting SERVICE_JAVA_OPTS = define("PINPIPE_SERVICE_JAVA_OPTS", "",
            "extra JVM options of the Spring services", "launcher");
    public static final Setting SPARK_JAVA_OPTS = define("PINPIPE_SPARK_JAVA_OPTS", "-Xmx2g",
            "JVM options of the Spark jobs in local mode", "launcher");
    public static final Setting ROOT = define("PINPIPE_ROOT", "",
            "the repository (or install) the DAG runs `pinpipe batch` from; unset: two folders above the DAG file", "Airflow");
    public static final Setting AIRFLOW_VENV = define("PINPIPE_AIRFLOW_VENV", "${PINPIPE_HOME}/airflow-venv",
            "the virtualenv the launcher installs Airflow into", "launcher, airflow tests");
    public static final Setting AIRFLOW_START_TIMEOUT = define("PINPIPE_AIRFLOW_START_TIMEOUT", "420",
            "seconds Airflow may take to answer", "launcher");
    public static final Setting SCHEMATHESIS_VENV = define("PINPIPE_SCHEMATHESIS_VENV", "${PINPIPE_HOME}/schemathesis-venv",
            "the virtualenv of the API's schema fuzzer", "ingest-api tests");
    public static final Setting LOCALSTACK_CLASSPATH_FILE = define("PINPIPE_LOCALSTACK_CLASSPATH_FILE", "airflow/target/local-stack.classpath",
            "the class path the Airflow end-to-end test starts the local stack with", "airflow tests");
    public static final Setting TEST_STACK = define("PINPIPE_TEST_STACK", "embedded",
            "what runs the tests' Kafka, S3 and PostgreSQL: `embedded` servers, or `containers` (Testcontainers)",
            "the tests' local stack");

    // --- fixed names (no variable: the schema and the DAG are versioned with the code) ---

    public static final String PINS_BATCH_TABLE = "pins_batch";
    public static final String PINS_STREAM_TABLE = "pins_stream";
    public static final String PIPELINE_RUNS_TABLE = "pipeline_runs";
    public static final String PINS_REJECTED_TABLE = "pins_rejected";
    public static final String DAG_ID = "pinterest_batch";

    private static final List<Setting> ALL = collect();
    private static final Map<String, Setting> BY_VARIABLE = index();

    private Settings() {
    }

    /** Every setting, in declaration order. */
    public static List<Setting> all() {
        return ALL;
    }

    /** The setting read from {@code variable}. */
    public static Setting named(String variable) {
        Setting s = BY_VARIABLE.get(variable);
        if (s == null) {
            throw new IllegalArgumentException("no setting " + variable + " in the catalogue");
        }
        return s;
    }

    /** True for a catalogue variable, or the {@code _FILE} variable of a secret one. */
    public static boolean isKnown(String variable) {
        if (BY_VARIABLE.containsKey(variable)) {
            return true;
        }
        Setting s = variable.endsWith(Secrets.FILE_SUFFIX)
                ? BY_VARIABLE.get(variable.substring(0, variable.length() - Secrets.FILE_SUFFIX.length())) : null;
        return s != null && s.secret();
    }

    /** Variable → default (references left for the reader to resolve), for Spring's lowest-precedence defaults. */
    public static Map<String, Object> defaults() {
        Map<String, Object> map = new LinkedHashMap<>();
        all().forEach(s -> map.put(s.variable(), s.defaultValue()));
        return map;
    }

    /** The table of docs/configuration.md. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| variable | local default | what | read by |\n|---|---|---|---|\n");
        for (Setting s : all()) {
            String dflt = s.localDefault().isEmpty() ? "unset" : "`" + s.localDefault() + "`";
            String name = s.secret() ? s.variable() + "` / `" + s.variable() + Secrets.FILE_SUFFIX : s.variable();
            out.append("| `").append(name).append("` | ").append(dflt).append(" | ").append(s.doc())
                    .append(" | ").append(s.readBy()).append(" |\n");
        }
        return out.toString();
    }

    private static Setting define(String variable, String defaultValue, String doc, String readBy) {
        return new Setting(variable, defaultValue, doc, readBy, false);
    }

    private static Setting secret(String variable, String defaultValue, String doc, String readBy) {
        return new Setting(variable, defaultValue, doc, readBy, true);
    }

    private static List<Setting> collect() {
        List<Setting> settings = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    settings.add((Setting) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(settings);
    }

    private static Map<String, Setting> index() {
        Map<String, Setting> map = new LinkedHashMap<>();
        for (Setting s : ALL) {
            if (map.put(s.variable(), s) != null) {
                throw new IllegalStateException("declared twice: " + s.variable());
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
