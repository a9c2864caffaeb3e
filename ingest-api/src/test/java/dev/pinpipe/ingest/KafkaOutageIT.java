package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.emulator.EmulatorMain;
import dev.pinpipe.emulator.PinGenerator;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import picocli.CommandLine;

/**
 * The broker stops in the middle of a run: the API answers 503 with Retry-After within a bounded time
 * (never a hang, never a 200), recovers when the broker is back, and every pin it acknowledged is on the topic.
 */
@ExtendWith(LocalStackExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // a producer buffer a batch of 1 000 large pins overflows while the broker is down: each send past
        // it blocks for max.block.ms, which is what a request must not wait once per pin
        "spring.kafka.producer.buffer-memory=512KB", "pinpipe.ingest.max-body-size=64KB"})
class KafkaOutageIT {

    /** The producer gives up after delivery.timeout.ms (3 s) or max.block.ms (2 s); allow for a slow machine. */
    static final Duration BOUND = Duration.ofSeconds(10);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> LocalStackExtension.stack().kafkaBootstrap());
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @Test
    void brokerDownGives503InBoundedTimeAndEveryAcknowledgedPinSurvives(LocalStack stack) throws Exception {
        Api api = new Api(port);
        Api management = new Api(managementPort);
        Map<String, JsonNode> acknowledged = new ConcurrentHashMap<>();
        AtomicLong slowest = new AtomicLong();
        AtomicLong unavailable = new AtomicLong();
        AtomicLong first503 = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        // four clients post continuously through the outage
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> clients = LongStream.range(0, 4).mapToObj(c -> CompletableFuture.runAsync(() -> {
            while (running.get()) {
                String pin = TestPins.fresh(1).get(0);
                long start = System.nanoTime();
                HttpResponse<String> response = api.postJson("/pin", pin);
                slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                if (response.statusCode() == 200) {
                    JsonNode ack = TestPins.parse(response.body());
                    assertThat(ack.get("unique_id").textValue()).isEqualTo(TestPins.uniqueId(pin));
                    acknowledged.put(TestPins.uniqueId(pin), ack);
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    unavailable.incrementAndGet();
                    first503.compareAndSet(0, System.nanoTime());
                }
            }
        }, threads)).toList();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);

            long stopped = System.nanoTime();
            stack.stopKafka();
            await().atMost(BOUND.plusSeconds(5)).until(() -> unavailable.get() > 0);
            int ackedBeforeOutage = acknowledged.size();
            System.out.printf("broker stopping: first 503 %d ms after the stop began%n", (first503.get() - stopped) / 1_000_000);
            // let the outage last a few request rounds, and see readiness follow the broker
            await().atMost(Duration.ofSeconds(20)).until(() -> management.get("/actuator/health/readiness").statusCode() == 503);

            stack.startKafka();
            await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= ackedBeforeOutage + 50);
            await().atMost(Duration.ofSeconds(30)).until(() -> management.get("/actuator/health/readiness").statusCode() == 200);
        } finally {
            running.set(false);
            try {
                CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }

        System.out.printf("slowest request %d ms; %d answered 503, %d acknowledged%n",
                slowest.get() / 1_000_000, unavailable.get(), acknowledged.size());
        assertThat(Duration.ofNanos(slowest.get())).isLessThan(BOUND);
        Map<String, List<ConsumerRecord<String, byte[]>>> onTopic = TopicReader
                .readAll(stack.kafkaBootstrap(), PinIngestIT.TOPIC, Duration.ofSeconds(60)).stream()
                .filter(r -> acknowledged.containsKey(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key));
        assertThat(onTopic.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        // the acknowledged coordinates hold that very pin
        acknowledged.forEach((id, ack) -> assertThat(onTopic.get(id)).anySatisfy(r -> {
            assertThat(r.partition()).isEqualTo(ack.get("partition").intValue());
            assertThat(r.offset()).isEqualTo(ack.get("offset").longValue());
        }));
    }

    @Test
    void aBatchOf1000PinsDuringAnOutageIs503WithinOneDeadlineNotOneWaitPerPin(LocalStack stack) throws Exception {
        Api api = new Api(port);
        Api management = new Api(managementPort);
        HttpResponse<String> healthy = api.postJson("/pins", largePins(1_000));
        assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
        assertThat(TestPins.parse(healthy.body()).get("accepted").intValue()).isEqualTo(1_000);

        stack.stopKafka();
        try {
            await().atMost(BOUND.plusSeconds(5)).until(() -> api.postJson("/pin", TestPins.fresh(1).get(0)).statusCode() == 503);
            for (int round = 0; round < 3; round++) {
                String batch = largePins(1_000);
                long start = System.nanoTime();
                HttpResponse<String> response = api.postJson("/pins", batch);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("broker down: /pins of 1000 pins (%d bytes) answered %d in %d ms%n",
                        batch.length(), response.statusCode(), took.toMillis());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
                assertThat(took).isLessThan(BOUND);
            }
        } finally {
            stack.startKafka();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> api.postJson("/pins", largePins(20)).statusCode() == 200);
    }

    /** A JSON array of {@code n} fresh pins, each with ~2 KB of random (hardly compressible) text. */
    static String largePins(int n) {
        java.util.Random random = new java.util.Random();
        return TestPins.fresh(n).stream().map(pin -> {
            byte[] noise = new byte[1_500];
            random.nextBytes(noise);
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) TestPins.parse(pin);
            node.put("description", java.util.Base64.getEncoder().encodeToString(noise));
            return node.toString();
        }).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void emulatorRetriesThrough503sAndCountsEachPinOnce(LocalStack stack) throws Exception {
        Api api = new Api(port);
        Api management = new Api(managementPort);
        long seed = System.nanoTime();
        int count = 400;
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Integer> run = thread.submit(() -> new CommandLine(new EmulatorMain()).execute(
                "--api", api.base(), "--count", Integer.toString(count), "--rate", "40", "--concurrency", "4",
                "--seed", Long.toString(seed), "--max-retries", "60"));
        thread.shutdown();
        Thread.sleep(2_000);
        stack.stopKafka();
        Thread.sleep(6_000);
        stack.startKafka();

        assertThat(run.get(180, TimeUnit.SECONDS)).isZero();
        PinGenerator generator = new PinGenerator(seed);
        Set<String> ids = LongStream.range(0, count)
                .mapToObj(i -> TestPins.uniqueId(new String(generator.pin(i), StandardCharsets.UTF_8)))
                .collect(Collectors.toSet());
        Set<String> onTopic = TopicReader.readAll(stack.kafkaBootstrap(), PinIngestIT.TOPIC, Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::key).filter(ids::contains).collect(Collectors.toSet());
        assertThat(onTopic).hasSize(count);
    }
}
