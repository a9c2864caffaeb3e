package dev.pinpipe.localstack;

import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, as Testcontainers finds one (DOCKER_HOST, the usual sockets,
 * ~/.testcontainers.properties). Without an engine each of Testcontainers' strategies fails at once
 * (no socket file); its explanation of the failure is silenced in {@link LocalStackMain}'s logging
 * because the stack says it in one line instead.
 */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException unusable) {
            return false;   // an engine that does not answer properly is no engine for us
        }
    }
}
