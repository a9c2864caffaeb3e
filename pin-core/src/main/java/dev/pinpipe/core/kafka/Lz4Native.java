package dev.pinpipe.core.kafka;

import net.jpountz.lz4.LZ4Factory;

/**
 * Makes Kafka's lz4 (the topic's compression) use lz4-java's JNI build in a Spring Boot fat jar.
 * Kafka takes {@code LZ4Factory.fastestInstance()}, which only tries JNI when lz4-java was loaded by
 * the system class loader; in a fat jar it is not, and it falls back to the much slower pure-Java codec
 * (docs/performance.md). Loading the native build once, before the first producer or consumer
 * touches lz4, makes every later {@code fastestInstance()} return it. Services that use Kafka call it
 * first thing; lz4-java is an optional dependency of pin-core, on their classpath through kafka-clients.
 */
public final class Lz4Native {

    private Lz4Native() {
    }

    /** Loads the JNI build when this platform has one; returns the codec Kafka will get, for the caller's log. */
    public static String preload() {
        try {
            LZ4Factory.nativeInstance();
            return LZ4Factory.fastestInstance().toString();
        } catch (Throwable e) {
            // no native build for this platform: Kafka uses the Java one, only slower
            return LZ4Factory.fastestInstance() + " (no JNI build here: " + e + ")";
        }
    }
}
