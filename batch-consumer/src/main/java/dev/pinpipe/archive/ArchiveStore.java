package dev.pinpipe.archive;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Writes archive objects to the bucket. A PUT replaces the object whole, which is what makes a replay an overwrite. */
final class ArchiveStore {

    private static final String NDJSON = "application/x-ndjson";
    private static final String JSON = "application/json";

    private final S3Client s3;
    private final String bucket;
    private final String archiveFolder;
    private final String progressFolder;

    ArchiveStore(S3Client s3, S3Properties properties) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.archiveFolder = properties.archiveFolder();
        this.progressFolder = properties.progressFolder();
    }

    /** Stores one object; throws the SDK's exception when S3 cannot be reached or refuses it. */
    void put(ArchiveObject object) {
        s3.putObject(PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(object.key(archiveFolder))
                        .contentType(NDJSON)
                        .build(),
                // the body is never changed once the object is closed: the SDK may read it as it is, no defensive copy
                RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(object.body()), object.body().length, NDJSON));
    }

    /** Replaces a partition's progress marker ({@link ArchiveProgress}); throws like {@link #put}. */
    void putProgress(ArchiveProgress progress, long now) {
        byte[] marker = progress.marker(now);
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(progress.key(progressFolder)).contentType(JSON).build(),
                RequestBody.fromBytes(marker));
    }
}
