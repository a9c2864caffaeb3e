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
    void autoWithoutAnEngineRunsEmbeddedAndSaysSoInOneLine() {
        Engine.Choice choice = Engine.AUTO.choose(ABSENT);
        assertThat(choice.engine()).isEqualTo(Engine.EMBEDDED);
        assertThat(choice.note())
                .isEqualTo("local-stack: engine auto: no Docker engine found; using the embedded Kafka/S3/PostgreSQL")
                .doesNotContain("\n");
    }

    @Test
    void autoWithAnEngineRunsContainersAndSaysSo() {
        Engine.Choice choice = Engine.AUTO.choose(PRESENT);
        assertThat(choice.engine()).isEqualTo(Engine.CONTAINERS);
        assertThat(choice.note()).startsWith(Engine.NOTE_PREFIX + "auto: Docker engine found; using Testcontainers");
    }

    @Test
    void containersAskedForWithoutAnEngineIsAClearError() {
        assertThatThrownBy(() -> Engine.CONTAINERS.choose(ABSENT))
                .isInstanceOf(Engine.Unavailable.class)
                .hasMessage("local-stack: engine containers: no Docker engine found, and containers were asked for"
                        + " (--engine / PINPIPE_TEST_STACK); start one, or choose auto or embedded");
    }

    @Test
    void containersWithAnEngineRunsContainers() {
        Engine.Choice choice = Engine.CONTAINERS.choose(PRESENT);
        assertThat(choice.engine()).isEqualTo(Engine.CONTAINERS);
        assertThat(choice.note()).startsWith(Engine.NOTE_PREFIX + "containers: using Testcontainers");
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
    void theProbeRunsOnceForTheChoicesThatNeedIt() {
        AtomicInteger probes = new AtomicInteger();
        Engine.AUTO.choose(() -> probes.incrementAndGet() < 0);
        assertThat(probes).hasValue(1);
    }
}
