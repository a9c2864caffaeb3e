package dev.pinpipe.localstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * s3proxy over its filesystem blob store (one folder per bucket under {@code dir}, so objects survive
 * restarts and never sit on the heap), static credentials, path-style.
 */
final class S3Server implements LocalServer {

    private final String host;
    private final int port;
    private final Path dir;
    private final String bucket;
    private S3Proxy proxy;

    /** @param bucket created at start when missing */
    S3Server(String host, int port, Path dir, String bucket) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.bucket = bucket;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        Files.createDirectories(dir);
        BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, Endpoints.S3_ACCESS_KEY, Endpoints.S3_SECRET_KEY)
                .build();
        started.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(started.getState())) {
            if (System.nanoTime() > deadline) {
                started.stop();
                throw new IllegalStateException("s3proxy did not start within 30 s (state " + started.getState() + ")");
            }
            Thread.sleep(20);
        }
        proxy = started;
    }

    @Override
    public synchronized void stop() throws Exception {
        if (proxy == null) {
            return;
        }
        proxy.stop();
        proxy = null;
    }
}
