package dev.pinpipe.localstack;

/** One server of the stack that can be stopped and started again on the same port with the same data. */
interface LocalServer {

    /** {@code kafka}, {@code s3} or {@code postgres}: the word the control channel uses. */
    String name();

    /** Starts and returns once clients can use it; a no-op when already running. */
    void start() throws Exception;

    /** Stops, flushing its data to disk; a no-op when already stopped. */
    void stop() throws Exception;

    /** Stops for good when the stack exits: the embedded servers keep their data, a container is removed. */
    default void close() throws Exception {
        stop();
    }
}
