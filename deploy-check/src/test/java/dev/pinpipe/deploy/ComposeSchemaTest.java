package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.schema.MigrateMain;
import dev.pinpipe.schema.PinSchema;

/**
 * Compose's PostgreSQL gets its schema the one way every other database does: the one-shot
 * {@code migrate} service runs pin-schema's {@link MigrateMain} (Flyway, {@link PinSchema#LOCATION}),
 * the same main and classpath as {@code ./pinpipe migrate}, before anything uses the database. No init
 * script and no hand-kept version record beside it.
 */
class ComposeSchemaTest {

    private static final String MIGRATE = "migrate";
    private static final String MIGRATIONS_DIR = "pin-core/src/main/resources/db/migration";
    private static final Pattern FLYWAY_NAME = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    private final ComposeFile compose = ComposeFile.load();
    private final ComposeFile.Service postgres = compose.service("postgres");
    private final ComposeFile.Service migrate = compose.service(MIGRATE);

    @Test
    void postgresRunsNoSchemaScriptOfItsOwn() {
        assertThat(postgres.volumes()).as("postgres volumes")
                .noneMatch(v -> v.contains("/docker-entrypoint-initdb.d"))
                .noneMatch(v -> v.contains("db/migration"));
        assertThat(Repo.path("docker/postgres")).as("the old hand-kept version record").doesNotExist();
    }

    @Test
    void theMigrateServiceRunsTheMainOfPinpipeMigrate() {
        assertThat(migrate.oneShot()).as("migrate runs to completion").isTrue();
        assertThat(migrate.spec()).as("migrate runs its image's ENTRYPOINT as it is")
                .doesNotContainKeys("entrypoint", "command");
        assertThat(migrate.dependsOn()).containsEntry("postgres", "service_healthy");
        String dockerfile = migrate.dockerfile().orElseThrow(() -> new AssertionError("migrate is not built here"));
        assertThat(dockerfile).isEqualTo("docker/pin-schema.Dockerfile");

        Dockerfile image = Dockerfile.read(Repo.path(dockerfile));
        String entrypoint = image.finalStage().last("ENTRYPOINT").orElseThrow();
        assertThat(entrypoint).contains("\"" + MigrateMain.class.getName() + "\"").contains("/app/lib/*");
        assertThat(image.stages().get(0).instructions()).as("the image carries pin-schema's whole runtime classpath")
                .anySatisfy(i -> assertThat(i.arguments()).contains("pin-schema/target/classpath.txt").contains("/out/lib"));
        assertThat(image.finalStage().instructions()).as("…into /app/lib")
                .anySatisfy(i -> assertThat(i.arguments()).contains("/out/lib/ lib/"));

        List<String> launcher = Repo.read("pinpipe").lines().filter(l -> l.contains(MigrateMain.class.getName())).toList();
        assertThat(launcher).as("./pinpipe migrate runs the same main on the same classpath").isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("pin-schema/target/classpath.txt"));
    }

    /** Flyway finds the migrations on the classpath the image copies: pin-core's, one copy, Flyway-named, no gap. */
    @Test
    void theMigrationsAreTheOnesInPinCore() throws IOException {
        assertThat(PinSchema.LOCATION).isEqualTo("classpath:db/migration");
        List<URL> found = Collections.list(getClass().getClassLoader().getResources("db/migration"));
        assertThat(found).as("db/migration on pin-schema's classpath").singleElement()
                .satisfies(url -> assertThat(url.toString()).contains("pin-core"));

        List<String> copies = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Repo.ROOT)) {
            modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
                    .filter(m -> Files.isDirectory(m.resolve("src/main/resources/db/migration")))
                    .forEach(m -> copies.add(Repo.ROOT.relativize(m).toString()));
        }
        assertThat(copies).as("modules with a db/migration folder").containsExactly("pin-core");

        List<Integer> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(Repo.path(MIGRATIONS_DIR))) {
            for (Path f : files.sorted().toList()) {
                Matcher m = FLYWAY_NAME.matcher(f.getFileName().toString());
                assertThat(m.matches()).as(f + " is named V<n>__<description>.sql").isTrue();
                versions.add(Integer.parseInt(m.group(1)));
            }
        }
        Collections.sort(versions);
        assertThat(versions).as("versions 1…n, each once").isNotEmpty()
                .isEqualTo(Stream.iterate(1, v -> v + 1).limit(versions.size()).toList());
    }

    @Test
    void everythingThatUsesTheDatabaseWaitsForTheMigration() {
        List<String> users = new ArrayList<>();
        compose.services().values().stream()
                .filter(s -> !s.name().equals(MIGRATE) && s.environment().containsKey("PINPIPE_JDBC_URL"))
                .forEach(s -> {
                    users.add(s.name());
                    assertThat(s.dependsOn()).as(s.name() + " depends_on")
                            .containsEntry(MIGRATE, "service_completed_successfully");
                });
        assertThat(users).as("services given the database").contains("stream-spark-job", "batch-spark-job", "airflow");
    }

    /** Each container given the database reaches compose's PostgreSQL with its login (the catalogue's default user and password). */
    @Test
    void theMigrationGoesToTheDatabaseTheServicesUse() {
        Map<String, String> server = postgres.environment();
        String url = "jdbc:postgresql://postgres:5432/" + server.get("POSTGRES_DB");
        List<String> users = new ArrayList<>();
        compose.services().values().stream().filter(s -> s.environment().containsKey(Settings.JDBC_URL.variable())).forEach(s -> {
            users.add(s.name());
            Map<String, String> env = HealthEndpoint.Container.of(s).env();
            assertThat(Settings.JDBC_URL.value(env::get)).as(s.name()).isEqualTo(url);
            assertThat(Settings.DB_USER.value(env::get)).as(s.name()).isEqualTo(server.get("POSTGRES_USER"));
            assertThat(Settings.DB_PASSWORD.value(env::get)).as(s.name()).isEqualTo(server.get("POSTGRES_PASSWORD"));
        });
        assertThat(users).contains(MIGRATE);
    }

    /** Compose's PostgreSQL has the local stack's database and login, so host tools reach either alike. */
    @Test
    void theDatabaseIsTheLocalStacksOne() {
        assertThat(postgres.environment())
                .containsEntry("POSTGRES_DB", Settings.JDBC_URL.localDefault().replaceFirst(".*/", ""))
                .containsEntry("POSTGRES_USER", Settings.DB_USER.localDefault())
                .containsEntry("POSTGRES_PASSWORD", Settings.DB_PASSWORD.localDefault());
    }
}
