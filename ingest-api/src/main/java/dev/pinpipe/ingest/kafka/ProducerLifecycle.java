package dev.pinpipe.ingest.kafka;

import dev.pinpipe.core.kafka.Lz4Native;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Creates the shared producer at startup (with lz4's JNI build, see {@link Lz4Native}), so the first
 * request does not pay for it, and flushes it
 * once the web server has drained its requests (graceful shutdown), so records of requests that
 * already gave up waiting still reach the broker. The producer factory closes the producer afterwards.
 */
class ProducerLifecycle implements SmartLifecycle {

    private final KafkaTemplate<String, byte[]> kafka;
    private volatile boolean running;

    ProducerLifecycle(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    @Override
    public void start() {
        LoggerFactory.getLogger(ProducerLifecycle.class).info("lz4 compression: {}", Lz4Native.preload());
        // the factory caches this one thread-safe producer; closing the handle would be a no-op
        kafka.getProducerFactory().createProducer();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        kafka.flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (lower phases stop later). */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
    }
}
