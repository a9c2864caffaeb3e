package dev.pinpipe.ingest.kafka;

import net.jpountz.lz4.LZ4Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the producer's lz4 compression use lz4-java's JNI build. {@code LZ4Factory.fastestInstance()}
 * (what Kafka calls) only tries JNI when lz4-java was loaded by the system class loader, which in a
 * Boot fat jar it is not; it then falls back to the pure-Java "safe" compressor, which took half the
 * API's CPU on {@code POST /pins}. Loading the native build once first makes every later
 * {@code fastestInstance()} return it.
 */
final class Lz4Native {

    private static final Logger log = LoggerFactory.getLogger(Lz4Native.class);

    private Lz4Native() {
    }

    static void preload() {
        try {
            LZ4Factory.nativeInstance();
            log.info("lz4 compression: {}", LZ4Factory.fastestInstance());
        } catch (Throwable e) {
            // no native build for this platform: Kafka compresses with the Java one, only slower
            log.info("lz4 compression: no JNI build here ({}), using {}", e, LZ4Factory.fastestInstance());
        }
    }
}
