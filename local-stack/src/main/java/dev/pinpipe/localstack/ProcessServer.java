package dev.pinpipe.localstack;

/** A server that runs as a process of its own (see {@link Spawner}), so it can be crashed alone. */
abstract class ProcessServer implements LocalServer {

    /** The server's process while it runs; null when stopped. Guarded by this. */
    protected Process process;

    @Override
    public synchronized void kill() throws Exception {
        if (process == null) {
            return;
        }
        Spawner.killGroup(process);
        process = null;
    }

    @Override
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }
}
