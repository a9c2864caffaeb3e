package dev.pinpipe.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.timestamp_millis;

import dev.pinpipe.core.PinFields;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PinSchema;
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
 * set on a line that is not JSON (Spark's PERMISSIVE mode keeps it instead of failing the job).
 */
public final class ArchiveReader {

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
     * The lines of {@code folders} that are not JSON. Spark refuses a query on raw JSON files that
     * needs no column but {@code _corrupt_record}, so the same pass also takes the (unused) largest
     * {@code index}.
     */
    public long countCorrupt(List<String> folders) {
        Row counted = read(folders).agg(count(col(PinSchema.CORRUPT_RECORD)), max(col(PinFields.INDEX))).first();
        return counted.getLong(0);
    }

    /** The raw pins of {@code folders} (non-empty), never with an inferred schema. */
    public Dataset<Row> read(List<String> folders) {
        Dataset<Row> lines = spark.read()
                .schema(PinSchema.RAW_WITH_CORRUPT_RECORD)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", PinSchema.CORRUPT_RECORD)
                .option("pathGlobFilter", "*.json")
                .json(folders.toArray(String[]::new));
        List<Column> columns = new ArrayList<>();
        for (String field : PinFields.ALL) {
            columns.add(col(field));
        }
        Column kafka = col(PinSchema.KAFKA);
        columns.add(kafka.getField(PinSchema.KAFKA_PARTITION).as(PinColumns.KAFKA_PARTITION));
        columns.add(kafka.getField(PinSchema.KAFKA_OFFSET).as(PinColumns.KAFKA_OFFSET));
        columns.add(timestamp_millis(kafka.getField(PinSchema.KAFKA_TIMESTAMP)).as(PinColumns.INGESTED_AT));
        columns.add(col(PinSchema.CORRUPT_RECORD));
        return lines.select(columns.toArray(Column[]::new));
    }
}
