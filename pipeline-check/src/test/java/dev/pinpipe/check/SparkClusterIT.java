package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch job on a Spark standalone cluster, as docs/cluster.md shows it: {@code ./pinpipe up --cluster}
 * (the stack, the API, the archiver, a master and two workers from the spark-home module's SPARK_HOME),
 * 300 emulated pins, {@code ./pinpipe batch --cluster --date D} (the -cluster jar through SparkSubmit).
 * Then pins_batch must hold exactly the acknowledged pins, and the master's JSON must show two alive
 * workers, executors on both, and the finished application. On demand only (it builds spark-home the
 * first time): {@code ./mvnw -pl pipeline-check verify -Dit.test=SparkClusterIT}.
 */
class SparkClusterIT {

    private static final List<String> PROCESSES =
            List.of("stack", "ingest-api", "batch-consumer", "spark-master", "spark-worker-1", "spark-worker-2");

    @Test
    void theBatchJobRunsOnTheLocalStandaloneCluster() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>(PipelineHarness.freshEnvironment("spark-cluster"));
        vars.put("PINPIPE_SPARK_MASTER_PORT", Integer.toString(freePorts(1)));
        vars.put("PINPIPE_SPARK_MASTER_UI_PORT", Integer.toString(freePorts(1)));
        vars.put("PINPIPE_SPARK_WORKER_UI_PORT", Integer.toString(freePorts(2)));
        vars.put("PINPIPE_SPARK_WORKERS", "2");
        Launcher launcher = PipelineHarness.launcher(vars);
        PipelineEnv env = PipelineEnv.from(launcher.env());
        String masterUi = "http://127.0.0.1:" + vars.get("PINPIPE_SPARK_MASTER_UI_PORT") + "/json/";
        try {
            // the stream job is not needed here: the cluster runs the batch layer
            launcher.require(minutes(10), "up", "--cluster", "stack", "ingest-api", "batch-consumer");
            assertThat(launcher.run(minutes(1), "status")).as("./pinpipe status exit code").isZero();
            JsonNode master = json(masterUi);
            assertThat(master.path("status").asText()).isEqualTo("ALIVE");
            assertThat(master.path("aliveworkers").asInt()).as("alive workers").isEqualTo(2);

            launcher.require(minutes(3), "emulate", "--count", "300", "--concurrency", "4", "--seed", "11",
                    "--ids-out", PipelineHarness.ids(launcher, "cluster").toString());
            SentPins sent = SentPins.read(PipelineHarness.ids(launcher, "cluster"));
            assertThat(sent.acked()).hasSize(300);
            ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(2)).census();
            for (String date : archive.dates()) {
                launcher.require(minutes(5), "batch", "--cluster", "--date", date);
            }

            TableCensus batch = TableCensus.take(env, "pins_batch", "batch");
            assertThat(batch.ids()).as("pins_batch").isEqualTo(sent.acked());
            assertThat(batch.runRowsWritten()).isEqualTo(300);

            master = json(masterUi);
            assertThat(master.path("aliveworkers").asInt()).as("alive workers after the job").isEqualTo(2);
            assertThat(master.path("activeapps")).as("applications still running").isEmpty();
            List<JsonNode> completed = new ArrayList<>();
            master.path("completedapps").forEach(completed::add);
            assertThat(completed).as("completed applications").hasSize(archive.dates().size())
                    .allSatisfy(app -> {
                        assertThat(app.path("name").asText()).isEqualTo("pinpipe-batch");
                        assertThat(app.path("state").asText()).isEqualTo("FINISHED");
                    });
            // each worker ran an executor of the application: its work dir holds the application's folder
            for (String worker : List.of("spark-worker-1", "spark-worker-2")) {
                String appId = completed.get(0).path("id").asText();
                assertThat(launcher.home().resolve("spark").resolve(worker).resolve(appId)).as("%s ran an executor", worker)
                        .isDirectory();
            }
        } finally {
            launcher.run(minutes(3), "down");
        }
        PipelineHarness.assertNothingLeft(launcher, PROCESSES);
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    /** The first of {@code count} consecutive free ports (the launcher gives worker n the UI port first + n - 1). */
    static int freePorts(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            boolean all = true;
            for (int i = 1; i < count && all; i++) {
                try (ServerSocket ignored = new ServerSocket(first + i)) {
                    // free
                } catch (IOException e) {
                    all = false;
                }
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
