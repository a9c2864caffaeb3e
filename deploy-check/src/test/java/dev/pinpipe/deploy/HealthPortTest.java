package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every health check, compose's and the images', probes the port its service's health endpoint
 * listens on, that port worked out from the service's own configuration (HealthEndpoint), not from
 * numbers written here: a port moved in application.yml, compose's environment or a server's flags
 * without its probe fails this test.
 */
class HealthPortTest {

    private static final ComposeFile COMPOSE = ComposeFile.load();
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    static Stream<String> servicesWithAHealthCheck() {
        return COMPOSE.services().values().stream().filter(s -> s.healthTest().isPresent()).map(ComposeFile.Service::name);
    }

    /** Compose services whose image has a HEALTHCHECK of its own: it runs if compose's is ever dropped. */
    static Stream<String> servicesWhoseImageHasAHealthCheck() {
        return COMPOSE.services().values().stream()
                .filter(s -> s.dockerfile().flatMap(f -> imageHealthCheck(Repo.path(f))).isPresent())
                .map(ComposeFile.Service::name);
    }

    static Stream<Path> dockerfilesWithAHealthCheck() throws IOException {
        return DockerfileTest.dockerfiles().filter(f -> imageHealthCheck(f).isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicesWithAHealthCheck")
    void composesHealthCheckProbesWhereTheServiceListens(String service) {
        HealthEndpoint.Container container = HealthEndpoint.Container.of(COMPOSE.service(service));
        HealthProbe probe = HealthProbe.ofCompose(COMPOSE.service(service).healthTest().orElseThrow(), container.env());
        assertProbes(service + " (compose)", probe, container);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicesWhoseImageHasAHealthCheck")
    void theImagesHealthCheckProbesWhereTheComposeContainerListens(String service) {
        HealthEndpoint.Container container = HealthEndpoint.Container.of(COMPOSE.service(service));
        Path dockerfile = Repo.path(COMPOSE.service(service).dockerfile().orElseThrow());
        assertProbes(service + " (its image's HEALTHCHECK under compose)", imageProbe(dockerfile, container.env()), container);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfilesWithAHealthCheck")
    void theImagesHealthCheckProbesWhereTheImageListens(Path dockerfile) {
        HealthEndpoint.Container container = HealthEndpoint.Container.of(dockerfile);
        assertProbes(dockerfile.getFileName() + " (docker run)", imageProbe(dockerfile, container.env()), container);
    }

    /** The parameter sources above must not come up empty by a parsing slip. */
    @Test
    void theHealthChecksAreFound() throws IOException {
        assertThat(servicesWithAHealthCheck()).containsAll(COMPOSE.services().values().stream()
                .filter(s -> !s.oneShot()).map(ComposeFile.Service::name).toList());
        assertThat(dockerfilesWithAHealthCheck().map(p -> p.getFileName().toString()))
                .contains("ingest-api.Dockerfile", "batch-consumer.Dockerfile", "stream-spark-job.Dockerfile");
    }

    /** The final stage's HEALTHCHECK arguments, unless it is NONE. */
    private static Optional<String> imageHealthCheck(Path dockerfile) {
        return Dockerfile.read(dockerfile).finalStage().last("HEALTHCHECK")
                .filter(args -> !HealthProbe.dockerfileCommand(args).equals("NONE"));
    }

    private static HealthProbe imageProbe(Path dockerfile, Map<String, String> env) {
        return HealthProbe.ofDockerfile(imageHealthCheck(dockerfile).orElseThrow(), env);
    }

    private static void assertProbes(String what, HealthProbe probe, HealthEndpoint.Container container) {
        HealthEndpoint endpoint = HealthEndpoint.of(container);
        String shown = what + ": probe `" + probe.command() + "`; listens per " + endpoint.source();
        assertThat(endpoint.ports()).as(shown + ": probed port").contains(probe.port());
        probe.path().filter(p -> !endpoint.paths().isEmpty())
                .ifPresent(path -> assertThat(endpoint.paths()).as(shown + ": probed path").contains(path));
        if (probe.expected().isPresent() && endpoint.expected().isPresent()) {
            assertThat(probe.expected()).as(shown + ": text a healthy answer holds").isEqualTo(endpoint.expected());
        }
        // loopback reaches a port bound to loopback or to every interface; the service's own name, only the latter
        Set<String> reachable = LOOPBACK.contains(probe.host()) ? Set.of(HealthEndpoint.EVERY_INTERFACE, "127.0.0.1", "localhost")
                : probe.host().equals(container.name()) ? Set.of(HealthEndpoint.EVERY_INTERFACE) : Set.of();
        assertThat(reachable).as(shown + ": probed host " + probe.host() + ", listening on " + endpoint.bind()).contains(endpoint.bind());
    }
}
