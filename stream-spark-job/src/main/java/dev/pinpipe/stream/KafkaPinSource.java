package dev.pinpipe.stream;

import static org.apache.spark.sql.functions.col;

import dev.pinpipe.spark.PinColumns;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The topic as a stream of raw pins: each record's value parsed with the one pin schema
 * ({@code PinColumns.parse}), beside the record's own bytes and coordinates, which become the lineage
 * columns ({@code kafka_partition}, {@code kafka_offset}, {@code ingested_at}). A value that is not a
 * pin parses to a corrupt record or an incomplete row; {@link PinColumns#reason} says why, never an
 * error here.
 */
final class KafkaPinSource {

    /** The record's value as Kafka holds it (binary; null for a tombstone). */
    static final String VALUE = "value";
    /** The record's topic: with its partition and offset, the source of a quarantined record. */
    static final String TOPIC = "topic";

    private KafkaPinSource() {
    }

    /**
     * The Kafka source's options: every setting of {@code PINPIPE_KAFKA_PROPERTIES_FILE} as {@code kafka.<key>},
     * which Spark gives its consumers and admin client, then the job's own.
     */
    static Map<String, String> options(StreamArgs args) {
        Map<String, String> options = new LinkedHashMap<>(args.kafkaProperties().prefixed("kafka."));
        options.put("kafka.bootstrap.servers", args.kafkaBootstrap());
        options.put("subscribe", args.topic());
        // only for the very first start: afterwards the checkpoint says where to go on
        options.put("startingOffsets", "earliest");
        // The stream is the speed layer; the S3 archive and the batch job are the system of record.
        // Records that aged out of Kafka before we read them are logged and skipped rather than
        // stopping the speed layer for good.
        options.put("failOnDataLoss", "false");
        if (args.mode() == StreamArgs.Mode.MICRO_BATCH) { // Real-time mode reads as records come; it refuses a cap
            options.put("maxOffsetsPerTrigger", Long.toString(args.maxOffsetsPerTrigger()));
        }
        return options;
    }

    /** The value as text: its bytes as they are (a cast from binary neither checks nor changes them). */
    static Column text() {
        return col(VALUE).cast(DataTypes.StringType);
    }

    /**
     * Columns: {@value #VALUE}, {@value #TOPIC}, kafka_partition, kafka_offset, ingested_at, then every
     * raw pin field (top level) and {@code _corrupt_record} (see {@code PinColumns.parse}).
     */
    static Dataset<Row> read(SparkSession spark, StreamArgs args) {
        Dataset<Row> records = spark.readStream()
                .format("kafka")
                .options(options(args))
                .load()
                .select(
                        col("value").as(VALUE),
                        col("topic").as(TOPIC),
                        col("partition").as(PinColumns.KAFKA_PARTITION),
                        col("offset").as(PinColumns.KAFKA_OFFSET),
                        col("timestamp").as(PinColumns.INGESTED_AT));
        return PinColumns.parse(records, text(), false);
    }
}
