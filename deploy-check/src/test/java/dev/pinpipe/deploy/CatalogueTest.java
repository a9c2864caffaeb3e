package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher, the scripts, compose, the Dockerfiles and the DAG against pin-core's settings catalogue:
 * every PINPIPE_* variable they name is in it, and every default they write for one is the catalogue's.
 */
class CatalogueTest {

    /** Files outside Java that read settings; Java reads them through the catalogue itself. */
    private static final List<String> READERS = List.of("pinpipe", "docker-compose.yml", "airflow/bin", "airflow/dags",
            "docker", "ingest-api/bin", "batch-spark-job/scripts", "bench");
    /** A PINPIPE_* name, not part of a longer one such as Airflow's AIRFLOW_CONN_PINPIPE_S3. */
    private static final Pattern VARIABLE = Pattern.compile("(?<![A-Za-z0-9_])PINPIPE_[A-Z0-9_]*[A-Z0-9]");
    /** A shell default, {@code ${PINPIPE_X:-default}}. */
    private static final Pattern SHELL_DEFAULT = Pattern.compile("\\$\\{(PINPIPE_[A-Z0-9_]+):-([^}]*)}");
    /** A Python default, {@code os.environ.get("PINPIPE_X", "default")} or the DAG's {@code _setting(…, "PINPIPE_X", "default")}. */
    private static final Pattern PYTHON_DEFAULT = Pattern.compile("\"(PINPIPE_[A-Z0-9_]+)\",\\s*\"([^\"]*)\"\\)");
    /** Where a script's own names stand for a setting: its folder variables and the repository root. */
    private static final Map<String, String> SCRIPT_NAMES = Map.of(
            "$HOME_DIR", "${PINPIPE_HOME}", "$ROOT/", "", "$MODULE/", "airflow/", "$SERVICE_HOST", "127.0.0.1");
    /** Defaults that differ on purpose, each with its reason in the catalogue's doc of the setting. */
    private static final List<String> DELIBERATE = List.of(
            "pinpipe: ${PINPIPE_STREAM_MODE:-micro-batch}"); // up --cluster's stream job has one core
    /** Harnesses that override a default on purpose, and Python names that merely look like a variable. */
    private static final List<String> NOT_DEFAULTS = List.of("airflow/bin/test.sh", "bench/seed-peer/");

    @Test
    void everyVariableOutsideJavaIsInTheCatalogue() {
        List<String> unknown = new ArrayList<>();
        forEachReader((file, text) -> {
            Matcher m = VARIABLE.matcher(text);
            while (m.find()) {
                if (!Settings.isKnown(m.group()) && !file.startsWith("bench/seed-peer/")) {
                    unknown.add(file + ": " + m.group());
                }
            }
        });
        assertThat(unknown).as("variables no catalogue entry declares (add them to pin-core's Settings)").isEmpty();
    }

    @Test
    void everyDefaultOutsideJavaIsTheCataloguesOwn() {
        List<String> wrong = new ArrayList<>();
        forEachReader((file, text) -> {
            if (NOT_DEFAULTS.stream().anyMatch(file::startsWith) || file.startsWith("docker/")) {
                return; // container images hold their own paths and hosts; the harness shortens waits
            }
            for (Pattern p : List.of(SHELL_DEFAULT, PYTHON_DEFAULT)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String written = normalise(m.group(2));
                    if (written.isEmpty() && p == SHELL_DEFAULT || written.contains("$(") || DELIBERATE.contains(file + ": " + m.group())) {
                        continue; // ${X:-} asks whether X is set; $(…) is computed
                    }
                    if (!Settings.all().stream().map(Setting::variable).toList().contains(m.group(1))) {
                        if (!written.isEmpty()) { // a secret's _FILE variable: never a default
                            wrong.add(file + ": " + m.group() + " (a secret's file has no default)");
                        }
                        continue;
                    }
                    Setting setting = Settings.named(m.group(1));
                    if (!written.equals(setting.defaultValue()) && !written.equals(setting.localDefault())) {
                        wrong.add(file + ": " + m.group() + " (the catalogue's default: '" + setting.defaultValue() + "')");
                    }
                }
            }
        });
        assertThat(wrong).as("defaults that differ from pin-core's Settings").isEmpty();
    }

    @Test
    void composeSetsOnlyCatalogueVariables() {
        ComposeFile compose = ComposeFile.load();
        List<String> unknown = new ArrayList<>();
        compose.services().forEach((name, service) -> service.environment().keySet().stream()
                .filter(k -> k.startsWith("PINPIPE_") && !Settings.isKnown(k))
                .forEach(k -> unknown.add(name + ": " + k)));
        assertThat(unknown).isEmpty();
    }

    /** A script's default in the catalogue's terms: {@code $PINPIPE_X} as {@code ${PINPIPE_X}}, its folder names replaced. */
    private static String normalise(String written) {
        String text = written.replaceAll("\\$(PINPIPE_[A-Z0-9_]+)", "\\${$1}");
        for (Map.Entry<String, String> e : SCRIPT_NAMES.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    private interface Reader {
        void read(String file, String text);
    }

    private static void forEachReader(Reader reader) {
        for (String root : READERS) {
            Path path = Repo.path(root);
            try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !f.toString().endsWith(".java") && !f.toString().endsWith(".md"))
                        .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/results/"))
                        .forEach(f -> reader.read(Repo.ROOT.relativize(f).toString(), Repo.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
