package dev.pinpipe.localstack;

import java.util.List;

import dev.pinpipe.schema.PinSchema;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The stack's three servers as Testcontainers modules, on the ports the caller chose (fixed bindings),
 * with the same names as the embedded stack: topics, bucket, database, credentials, schema. The images
 * are those of the root {@code docker-compose.yml}, so tests and {@code docker compose up} run the same servers.
 */
final class ContainerStack {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";
    static final String POSTGRES_IMAGE = "postgres:17.6-bookworm";

    private static final int KAFKA_PORT = 9092;
    private static final int MINIO_PORT = 9000;
    private static final int POSTGRES_PORT = 5432;

    private ContainerStack() {
    }

    /** Where the containers' published ports are reached: loopback for a local engine, else the engine's host. */
    static String host() {
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        return "localhost".equals(host) ? "127.0.0.1" : host;
    }

    static List<LocalServer> servers(Endpoints endpoints, int partitions) {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        MinIOContainer minio = new MinIOContainer(MINIO_IMAGE)
                .withUserName(Endpoints.S3_ACCESS_KEY)
                .withPassword(Endpoints.S3_SECRET_KEY);
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName(Endpoints.DATABASE)
                .withUsername(Endpoints.DB_USER)
                .withPassword(Endpoints.DB_PASSWORD);
        return List.of(
                new ContainerServer("kafka", kafka, endpoints.kafkaPort(), KAFKA_PORT,
                        c -> Topics.create(endpoints.kafkaBootstrap(), endpoints.names().topics(), partitions)),
                new ContainerServer("s3", minio, endpoints.s3Port(), MINIO_PORT, c -> createBucket(c, endpoints.names().bucket())),
                new ContainerServer("postgres", postgres, endpoints.pgPort(), POSTGRES_PORT,
                        c -> migrate(endpoints)));
    }

    /** With the MinIO client inside the image: no S3 SDK in this module just to make one bucket. */
    private static void createBucket(GenericContainer<?> minio, String name) throws Exception {
        ExecResult alias = minio.execInContainer("mc", "alias", "set", "local", "http://127.0.0.1:" + MINIO_PORT,
                Endpoints.S3_ACCESS_KEY, Endpoints.S3_SECRET_KEY);
        ExecResult bucket = alias.getExitCode() != 0 ? alias
                : minio.execInContainer("mc", "mb", "--ignore-existing", "local/" + name);
        if (bucket.getExitCode() != 0) {
            throw new IllegalStateException("mc failed: " + bucket.getStdout() + bucket.getStderr());
        }
    }

    private static void migrate(Endpoints endpoints) throws Exception {
        PinSchema.migrate(endpoints.jdbcUrl() + "?connectTimeout=5&loginTimeout=5", Endpoints.DB_USER, Endpoints.DB_PASSWORD);
    }
}
