package dev.pinpipe.archive;

import net.jpountz.lz4.LZ4Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Kafka consumer decompress lz4 (the topic's compression) with lz4-java's JNI build.
 * Kafka's {@code Lz4BlockInputStream} takes {@code LZ4Factory.fastestInstance()} once, in its static
 * initializer, and that only tries JNI when lz4-java was loaded by the system class loader, which in
 * the Boot fat jar that {@code ./pinpipe} runs it is not: it then falls back to the pure-Java "safe"
 * decompressor and checksum, ~0.7 µs per pin against ~0.3 with JNI (a 64 KB-block micro-benchmark on
 * the bench's pins). Loading the native build first makes every later {@code fastestInstance()} return
 * it. ingest-api does the same for its producer.
 */
final class Lz4Native {

    private static final Logger log = LoggerFactory.getLogger(Lz4Native.class);

    private Lz4Native() {
    }

    /** Call before the first consumer decompresses anything (Kafka keeps the instance it first gets). */
    static void preload() {
        try {
            LZ4Factory.nativeInstance();
            log.info("lz4 decompression: {}", LZ4Factory.fastestInstance());
        } catch (Throwable e) {
            // no native build for this platform: Kafka decompresses with the Java one, only slower
            log.info("lz4 decompression: no JNI build here ({}), using {}", e, LZ4Factory.fastestInstance());
        }
    }
}
