package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pinpipe.core.db.SchemaMigrator;

/**
 * Postgres in compose starts with the schema SchemaMigrator would create, and with its version record,
 * so anything that migrates later finds nothing to do instead of failing on existing tables.
 */
class ComposeSchemaTest {

    private static final String INITDB = "/docker-entrypoint-initdb.d/";
    private static final String MIGRATIONS = "./pin-core/src/main/resources/db/migration/";

    private final ComposeFile.Service postgres = ComposeFile.load().service("postgres");

    @Test
    void everyMigrationIsMountedInOrderBeforeTheVersionRecord() {
        List<String> mounted = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String volume : postgres.volumes()) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].startsWith(INITDB)) {
                mounted.add(parts[0]);
                targets.add(parts[1].substring(INITDB.length()));
            }
        }
        List<String> expected = new ArrayList<>();
        SchemaMigrator.MIGRATIONS.forEach(m -> expected.add(MIGRATIONS + m));
        expected.add("./docker/postgres/90-schema-version.sql");

        assertThat(mounted).isEqualTo(expected);
        assertThat(targets).as("the entrypoint runs them in file-name order").isSorted();
        mounted.forEach(source -> assertThat(Repo.path(source)).isRegularFile());
    }

    @Test
    void theVersionRecordListsExactlyTheMigrations() {
        Matcher row = Pattern.compile("\\((\\d+),\\s*'([^']+)'\\)").matcher(Repo.read("docker/postgres/90-schema-version.sql"));
        List<String> recorded = new ArrayList<>();
        while (row.find()) {
            recorded.add(row.group(1) + " " + row.group(2));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SchemaMigrator.MIGRATIONS.size(); i++) {
            expected.add((i + 1) + " " + SchemaMigrator.MIGRATIONS.get(i));
        }
        assertThat(recorded).isEqualTo(expected);
    }

    @Test
    void theDatabaseIsTheOneTheServicesAreGiven() {
        assertThat(postgres.environment())
                .containsEntry("POSTGRES_DB", "pinterest")
                .containsEntry("POSTGRES_USER", "pinpipe")
                .containsEntry("POSTGRES_PASSWORD", "pinpipe");
    }
}
