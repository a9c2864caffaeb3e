package dev.pinpipe.localstack;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.containers.GenericContainer;

/**
 * One server of the stack as a Docker container (Testcontainers), published on a FIXED host port so that
 * {@code stop}/{@code start} keep the endpoint: a container that Testcontainers restarts would get a new
 * random port. {@code stop} is {@code docker stop} and {@code start} is {@code docker start} of the same
 * container, so its data (in the container's filesystem) is kept; {@link #close()} removes it.
 */
final class ContainerServer implements LocalServer {

    /** What makes the server usable once it answers (topics, bucket, schema); idempotent, retried until it succeeds. */
    @FunctionalInterface
    interface Setup {
        void run(GenericContainer<?> container) throws Exception;
    }

    private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int STOP_TIMEOUT_SECONDS = 30;

    private final String name;
    private final GenericContainer<?> container;
    private final Setup setup;
    private boolean running;

    ContainerServer(String name, GenericContainer<?> container, int hostPort, int containerPort, Setup setup) {
        this.name = name;
        this.container = container;
        this.setup = setup;
        container.setPortBindings(List.of(hostPort + ":" + containerPort));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() throws Exception {
        if (running) {
            return;
        }
        if (container.getContainerId() == null) {
            container.start();   // create, start, and Testcontainers' own wait strategy
        } else {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
        // after a restart the image's wait strategy would match the first start's log lines: poll the setup instead
        awaitSetup();
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        running = false;
    }

    /** Stops and removes the container (Testcontainers' Ryuk also removes it if this JVM dies first). */
    @Override
    public synchronized void close() {
        container.stop();
        running = false;
    }

    private void awaitSetup() throws Exception {
        long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
        while (true) {
            try {
                setup.run(container);
                return;
            } catch (Exception notYet) {
                if (!container.isRunning()) {
                    throw new IllegalStateException(name + " container exited; its log:\n" + container.getLogs(), notYet);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " container not usable within 120 s: " + notYet.getMessage(), notYet);
                }
                Thread.sleep(250);
            }
        }
    }
}
