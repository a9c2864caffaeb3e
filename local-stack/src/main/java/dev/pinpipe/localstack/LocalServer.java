package dev.pinpipe.localstack;

/** One server of the stack that can be stopped and started again on the same port with the same data. */
interface LocalServer {

    /** {@code kafka}, {@code s3} or {@code postgres}: the word the control channel uses. */
    String name();

    /** Starts and returns once clients can use it; a no-op when already running. */
    void start() throws Exception;

    /** Stops, flushing its data to disk; a no-op when already stopped. */
    void stop() throws Exception;

    /** {@code kill -9} of the server's processes: a crash, nothing flushed; {@link #start()} recovers. */
    default void kill() throws Exception {
        throw new UnsupportedOperationException(name() + " cannot be killed alone in this engine (embedded only)");
    }

    /** The server's process id, or -1 when it runs in no process of its own (or is stopped). */
    default long pid() {
        return -1;
    }

    /** Stops for good when the stack exits: the embedded servers keep their data, a container is removed. */
    default void close() throws Exception {
        stop();
    }
}
