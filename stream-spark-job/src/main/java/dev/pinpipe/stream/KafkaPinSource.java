package dev.pinpipe.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PinSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The topic as a stream of raw pins: each record's value parsed with the one pin schema, beside the
 * record's coordinates, which become the lineage columns ({@code kafka_partition}, {@code kafka_offset},
 * {@code ingested_at}). A value that is not a pin parses to a null or incomplete struct; it is
 * filtered and counted downstream, never an error here.
 */
final class KafkaPinSource {

    /** The raw value as text, kept only to show what a rejected record looked like. */
    static final String VALUE = "value";

    private KafkaPinSource() {
    }

    /** Columns: every raw pin field (top level), {@value #VALUE}, kafka_partition, kafka_offset, ingested_at. */
    static Dataset<Row> read(SparkSession spark, StreamArgs args) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", args.kafkaBootstrap())
                .option("subscribe", args.topic())
                // only for the very first start: afterwards the checkpoint says where to go on
                .option("startingOffsets", "earliest")
                // The stream is the speed layer; the S3 archive and the batch job are the system of
                // record. Records that aged out of Kafka before we read them are logged and skipped
                // rather than stopping the speed layer for good.
                .option("failOnDataLoss", "false")
                .option("maxOffsetsPerTrigger", args.maxOffsetsPerTrigger())
                .load()
                .select(
                        from_json(col("value").cast("string"), PinSchema.RAW).as("pin"),
                        col("value").cast("string").as(VALUE),
                        col("partition").as(PinColumns.KAFKA_PARTITION),
                        col("offset").as(PinColumns.KAFKA_OFFSET),
                        col("timestamp").as(PinColumns.INGESTED_AT))
                .select(col("pin.*"), col(VALUE), col(PinColumns.KAFKA_PARTITION), col(PinColumns.KAFKA_OFFSET),
                        col(PinColumns.INGESTED_AT));
    }
}
