package dev.pinpipe.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_millis;

import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.spark.PinColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads archive days ({@code s3a://<bucket>/<prefix>/dt=<day>/}) as raw pins with their lineage, in the
 * input shape of {@link PinColumns#clean}: the contract fields as string columns, {@code kafka_partition},
 * {@code kafka_offset}, {@code ingested_at} from each line's {@code _kafka}, and {@code _corrupt_record}
 * set on a line that is not one JSON object; beside them each line as stored and the object it is in.
 */
public final class ArchiveReader {

    /** One archive line as stored. */
    public static final String LINE = "line";
    /** The archive object holding the line. */
    public static final String FILE = "file";

    private final SparkSession spark;
    private final String bucket;
    private final String prefix;

    public ArchiveReader(SparkSession spark, String bucket, String prefix) {
        this.spark = spark;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    public String folder(LocalDate day) {
        return "s3a://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/") + "dt=" + day + "/";
    }

    /** The folders of {@code days} that hold at least one object (S3 has no empty folders). */
    public List<String> existingFolders(List<LocalDate> days) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> folders = new ArrayList<>();
        try {
            FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
            for (LocalDate day : days) {
                String folder = folder(day);
                if (fs.exists(new Path(folder))) {
                    folders.add(folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the archive in s3a://" + bucket + "/" + prefix, e);
        }
        return folders;
    }

    /**
     * The lines of {@code folders} (non-empty) as raw pins, in the input shape of
     * {@link PinColumns#clean}: each line as read ({@value #LINE}, its bytes as they are) and the
     * object it came from ({@value #FILE}, e.g. {@code s3a://bucket/pins/dt=…/<topic>+0+….json}),
     * the contract fields and {@code _corrupt_record} ({@code PinColumns.parse}: the schema is never
     * inferred, a line that is not one JSON object is kept, not an error), and the lineage from
     * {@code _kafka}. Read as text so that a rejected line is quarantined exactly as stored.
     */
    public Dataset<Row> read(List<String> folders) {
        Dataset<Row> lines = spark.read()
                .option("pathGlobFilter", "*.json")
                .text(folders.toArray(String[]::new))
                .select(col("value").as(LINE), col("_metadata.file_path").as(FILE));
        Dataset<Row> parsed = PinColumns.parse(lines, col(LINE), true);
        Column kafka = col(ArchiveLineFormat.LINEAGE);
        return parsed.withColumn(PinColumns.KAFKA_PARTITION, kafka.getField(ArchiveLineFormat.PARTITION))
                .withColumn(PinColumns.KAFKA_OFFSET, kafka.getField(ArchiveLineFormat.OFFSET))
                .withColumn(PinColumns.INGESTED_AT, timestamp_millis(kafka.getField(ArchiveLineFormat.TIMESTAMP)));
    }
}
