package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every image compose builds has a Dockerfile in the one house style: pinned bases, non-root, healthy. */
class DockerfileTest {

    private static final ComposeFile COMPOSE = ComposeFile.load();

    /** Every docker/*.Dockerfile, compose's and the one the Airflow image takes its batch job from. */
    static Stream<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("docker"))) {
            List<Path> list = files.filter(p -> p.getFileName().toString().endsWith(".Dockerfile")).sorted().toList();
            assertThat(list).isNotEmpty();
            return list.stream();
        }
    }

    static Stream<ComposeFile.Service> builtServices() {
        return COMPOSE.services().values().stream().filter(s -> s.dockerfile().isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtServices")
    void composeBuildsFromAnExistingDockerfile(ComposeFile.Service service) {
        Path file = Repo.path(service.dockerfile().orElseThrow());
        assertThat(file).as(service.name()).isRegularFile();
        Dockerfile dockerfile = Dockerfile.read(file);
        if (!service.oneShot()) {
            assertThat(dockerfile.finalStage().has("HEALTHCHECK")).as(file + " HEALTHCHECK").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void baseImagesArePinned(Path file) {
        assertThat(Dockerfile.read(file).externalBases()).as(file.toString())
                .isNotEmpty()
                .allSatisfy(base -> assertThat(ImageRef.parse(base).pinned()).as(base).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void theImageRunsAsANonRootUser(Path file) {
        String user = Dockerfile.read(file).finalStage().last("USER").orElse("root");
        String name = user.split(":")[0];
        assertThat(Set.of("root", "0")).as(file + " USER " + user).doesNotContain(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void theModuleIsBuiltByTheReactorInAMultiStageBuild(Path file) {
        Dockerfile dockerfile = Dockerfile.read(file);
        assertThat(dockerfile.stages()).as(file + " stages").hasSizeGreaterThanOrEqualTo(2);
        String module = file.getFileName().toString().replace(".Dockerfile", "");
        String built = module.equals("airflow") ? "batch-spark-job" : module;
        assertThat(Repo.path(built + "/pom.xml")).as("module of " + file).isRegularFile();
        assertThat(dockerfile.stages().get(0).instructions())
                .as(file + " builds its module with its dependencies, tests left to CI")
                .anySatisfy(i -> assertThat(i.arguments()).contains("-pl " + built + " -am").contains("-DskipTests"));
    }

    @Test
    void theAirflowImageBuildsTheBatchJobExactlyAsItsOwnImageDoes() {
        Dockerfile.Stage airflow = Dockerfile.read(Repo.path("docker/airflow.Dockerfile")).stages().get(0);
        Dockerfile.Stage batch = Dockerfile.read(Repo.path("docker/batch-spark-job.Dockerfile")).stages().get(0);
        assertThat(airflow).isEqualTo(batch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sparkJobs")
    void sparkJobsRunWithTheRootPomsJvmOptions(String job) {
        Dockerfile dockerfile = Dockerfile.read(Repo.path("docker/" + job + ".Dockerfile"));
        assertThat(dockerfile.stages().get(0).instructions()).as(job + " writes jvm.options from the root pom")
                .anySatisfy(i -> assertThat(i.arguments()).contains("-Dexpression=spark.jvm.options"));
        assertThat(dockerfile.finalStage().last("ENTRYPOINT")).as(job + " entrypoint")
                .hasValueSatisfying(e -> assertThat(e).contains("@/app/jvm.options"));
        assertThat(Repo.read("pom.xml")).contains("<spark.jvm.options>");
    }

    static Stream<String> sparkJobs() {
        return Stream.of("batch-spark-job", "stream-spark-job");
    }

    /** What a Dockerfile copies from the build context must not be left out of it by .dockerignore. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void theBuildContextHoldsWhatTheImageCopies(Path file) {
        List<String> ignored = Repo.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (Dockerfile.Stage stage : Dockerfile.read(file).stages()) {
            for (Dockerfile.Instruction i : stage.instructions()) {
                if (!i.keyword().equals("COPY") || i.arguments().contains("--from=")) {
                    continue;
                }
                List<String> words = Stream.of(i.arguments().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
                for (String source : words.subList(0, words.size() - 1)) {
                    if (!source.equals(".")) {
                        assertThat(Repo.path(source)).as(file + " copies " + source).exists();
                    }
                    assertThat(ignored).as(file + " copies " + source + ", which .dockerignore leaves out")
                            .noneMatch(pattern -> excludes(pattern, source));
                }
            }
        }
    }

    /** .dockerignore's plain and {@code **}/name patterns, the only kinds the file uses. */
    private static boolean excludes(String pattern, String source) {
        if (pattern.startsWith("**/")) {
            String name = pattern.substring(3);
            return Stream.of(source.split("/")).anyMatch(segment -> segment.equals(name)
                    || (name.startsWith("*.") && segment.endsWith(name.substring(1))));
        }
        return source.equals(pattern) || source.startsWith(pattern + "/");
    }
}
