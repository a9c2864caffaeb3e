package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/**
 * The Spring services are closed by default and compose opens them only as far as it must: loopback
 * unless PINPIPE_BIND_ADDRESS says otherwise, actuator only on a management port of its own, the
 * images' health checks following that port's variable, every port compose publishes bound to the
 * host's loopback. That each health check probes the port its service listens on: {@link HealthPortTest}.
 */
class ClosedByDefaultTest {

    static final List<String> SPRING = SpringSettings.SERVICES;

    private static final Pattern ACTUATOR_PROBE = Pattern.compile("(\\d+|\\$\\{?[A-Z0-9_]+}?)\"?\\s+\"?/actuator/");

    private final ComposeFile compose = ComposeFile.load();

    @ParameterizedTest(name = "{0}")
    @FieldSource("SPRING")
    void theServiceBindsLoopbackByDefaultWithActuatorOnItsOwnPort(String service) {
        SpringSettings settings = SpringSettings.of(service);
        for (SpringSettings.Placeholder address : List.of(settings.address(), settings.managementAddress())) {
            assertThat(address).as(service + " bind address").isEqualTo(new SpringSettings.Placeholder("PINPIPE_BIND_ADDRESS", "127.0.0.1"));
        }
        assertThat(settings.managementPort().variable()).as(service + " management port variable")
                .isNotEqualTo(settings.port().variable()).endsWith("_MANAGEMENT_PORT");
        assertThat(settings.managementPort().defaultValue()).as(service + " default management port")
                .isNotEqualTo(settings.port().defaultValue()).matches("[1-9][0-9]*");
        assertThat(settings.healthDetails()).as(service + " health details").isEqualTo("never");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("SPRING")
    void composeOpensTheServiceToItsNetworkWithAManagementPortApart(String service) {
        SpringSettings settings = SpringSettings.of(service);
        Map<String, String> env = HealthEndpoint.Container.of(compose.service(service)).env();
        assertThat(compose.service(service).environment()).as(service + " compose environment")
                .containsEntry(settings.address().variable(), HealthEndpoint.EVERY_INTERFACE);
        assertThat(settings.managementPortIn(compose)).as(service + " management port in its container")
                .isNotEqualTo(settings.port().in(env));
    }

    @Test
    void everyPublishedPortIsBoundToTheHostsLoopback() {
        List<String> open = new ArrayList<>();
        compose.services().values().forEach(s -> ComposeFile.list(s.spec().getOrDefault("ports", List.of())).forEach(p -> {
            if (!p.startsWith("127.0.0.1:")) {
                open.add(s.name() + " " + p);
            }
        }));
        assertThat(open).as("ports published on every interface of the host").isEmpty();
    }

    /** The images' own HEALTHCHECK follows the management port variable, which the image sets to the service's default. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("SPRING")
    void theImagesHealthCheckProbesTheManagementPort(String service) {
        SpringSettings settings = SpringSettings.of(service);
        Dockerfile.Stage image = Dockerfile.read(Repo.path("docker/" + service + ".Dockerfile")).finalStage();
        String variable = settings.managementPort().variable();
        List<String> healthchecks = arguments(image, "HEALTHCHECK");
        assertThat(healthchecks).as(service + " HEALTHCHECK").hasSize(1);
        Matcher m = ACTUATOR_PROBE.matcher(healthchecks.get(0));
        assertThat(m.find()).as(service + " HEALTHCHECK asks actuator: " + healthchecks).isTrue();
        assertThat(m.group(1)).as(service + " HEALTHCHECK port").isIn("${" + variable + "}", "$" + variable);
        assertThat(String.join(" ", arguments(image, "ENV"))).as(service + " ENV")
                .containsPattern("\\b" + variable + "=" + settings.managementPort().defaultValue() + "\\b");
        assertThat(String.join(" ", arguments(image, "EXPOSE"))).as(service + " EXPOSE")
                .containsPattern("\\b" + settings.managementPort().defaultValue() + "\\b");
    }

    private static List<String> arguments(Dockerfile.Stage stage, String keyword) {
        return stage.instructions().stream().filter(i -> i.keyword().equals(keyword)).map(Dockerfile.Instruction::arguments).toList();
    }
}
