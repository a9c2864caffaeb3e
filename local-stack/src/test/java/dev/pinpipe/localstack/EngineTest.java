package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/** The engine choice with the "engine available" probe injected: no Docker needed either way. */
class EngineTest {

    private static final BooleanSupplier ABSENT = () -> false;
    private static final BooleanSupplier PRESENT = () -> true;

    @Test
    void testsRunTheEmbeddedStackUnlessContainersAreAskedFor() {
        assertThat(Engine.forTests(null)).isEqualTo(Engine.EMBEDDED);
        assertThat(Engine.forTests(" ")).isEqualTo(Engine.EMBEDDED);
        assertThat(Engine.forTests("embedded")).isEqualTo(Engine.EMBEDDED);
        assertThat(Engine.forTests(" Containers ")).isEqualTo(Engine.CONTAINERS);
    }

    /** The old {@code auto} (containers whenever an engine answered) is gone: asked for, it is an error, not a guess. */
    @Test
    void anyOtherValueIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Engine.forTests("auto"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PINPIPE_TEST_STACK is embedded or containers, not 'auto'");
        assertThatThrownBy(() -> Engine.parse("docker", "--engine"))
                .hasMessage("--engine is embedded or containers, not 'docker'");
    }

    @Test
    void containersAskedForWithoutAnEngineIsAClearError() {
        assertThatThrownBy(() -> Engine.CONTAINERS.choose(ABSENT))
                .isInstanceOf(Engine.Unavailable.class)
                .hasMessage("local-stack: engine containers: no Docker engine found, and containers were asked for"
                        + " (--engine / PINPIPE_TEST_STACK); start one, or leave the embedded default")
                .message().doesNotContain("\n");
    }

    @Test
    void containersWithAnEngineRunsContainersAndSaysSoInOneLine() {
        Engine.Choice choice = Engine.CONTAINERS.choose(PRESENT);
        assertThat(choice.engine()).isEqualTo(Engine.CONTAINERS);
        assertThat(choice.note()).isEqualTo("local-stack: engine containers: using Testcontainers for Kafka/S3 (MinIO)/PostgreSQL");
    }

    @Test
    void embeddedNeverProbesAndSaysNothing() {
        AtomicInteger probes = new AtomicInteger();
        Engine.Choice choice = Engine.EMBEDDED.choose(() -> {
            probes.incrementAndGet();
            return true;
        });
        assertThat(choice).isEqualTo(new Engine.Choice(Engine.EMBEDDED, null));
        assertThat(probes).hasValue(0);
    }

    @Test
    void containersProbeOnce() {
        AtomicInteger probes = new AtomicInteger();
        Engine.CONTAINERS.choose(() -> probes.incrementAndGet() > 0);
        assertThat(probes).hasValue(1);
    }
}
