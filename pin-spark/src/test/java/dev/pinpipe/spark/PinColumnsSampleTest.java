package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.core.db.PinTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The shared sample through Spark's JSON reader (explicit schema) and {@link PinColumns#clean}, compared column by column. */
class PinColumnsSampleTest {

    private static Dataset<Row> read(List<String> lines) {
        Dataset<String> json = TestSpark.session().createDataset(lines, Encoders.STRING());
        return TestSpark.session().read().schema(PinSchema.RAW).json(json);
    }

    private static Dataset<Row> withLineage(Dataset<Row> raw) {
        return raw.withColumn(PinColumns.KAFKA_PARTITION, lit(1))
                .withColumn(PinColumns.KAFKA_OFFSET, col(PinFields.INDEX).cast(DataTypes.LongType))
                .withColumn(PinColumns.INGESTED_AT, current_timestamp());
    }

    @Test
    void cleansTheWholeSampleAsExpected() {
        List<Row> rows = PinColumns.clean(withLineage(read(SamplePins.rawLines()))).collectAsList();

        Map<String, Map<String, Object>> actual = new LinkedHashMap<>();
        for (Row row : rows) {
            Map<String, Object> columns = new LinkedHashMap<>();
            for (String column : SamplePins.EXPECTED_COLUMNS) {
                columns.put(column, row.get(row.fieldIndex(column)));
            }
            actual.put(row.getString(0), columns);
            assertThat(row.getInt(row.fieldIndex("kafka_partition"))).isEqualTo(1);
            assertThat(row.getLong(row.fieldIndex("kafka_offset"))).isEqualTo((long) row.getInt(1));
            assertThat(row.get(row.fieldIndex("ingested_at"))).isNotNull();
        }
        Map<String, Map<String, Object>> expected = SamplePins.expectedById();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((id, row) -> assertThat(actual.get(id)).as(id).containsExactlyEntriesOf(row));
    }

    @Test
    void cleanHasExactlyTheTableColumnsTyped() {
        Dataset<Row> clean = PinColumns.clean(withLineage(read(SamplePins.rawLines())));
        assertThat(clean.columns()).containsExactlyElementsOf(PinColumns.CLEAN_COLUMNS)
                .containsExactlyElementsOf(PinTable.COLUMNS.stream().filter(c -> !c.equals("processed_at")).toList());
        Map<String, DataType> types = new HashMap<>();
        Arrays.stream(clean.schema().fields()).forEach(f -> types.put(f.name(), f.dataType()));
        assertThat(types).containsEntry("unique_id", DataTypes.StringType)
                .containsEntry("index", DataTypes.IntegerType)
                .containsEntry("follower_count", DataTypes.LongType)
                .containsEntry("downloaded", DataTypes.BooleanType)
                .containsEntry("kafka_partition", DataTypes.IntegerType)
                .containsEntry("kafka_offset", DataTypes.LongType)
                .containsEntry("ingested_at", DataTypes.TimestampType);
    }

    @Test
    void rejectsRowsWhoseRequiredFieldsAreUnusable() {
        String id = "c5521660-f3a3-4571-b476-189975a3adb3";
        List<String> lines = List.of(
                "{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \" art \"}",
                "{\"index\": -1, \"unique_id\": \"" + id + "\", \"category\": \"art\"}",
                "{\"index\": \"seven\", \"unique_id\": \"" + id + "\", \"category\": \"art\"}",
                "{\"index\": 7.0, \"unique_id\": \"" + id + "\", \"category\": \"art\"}",
                "{\"index\": 99999999999, \"unique_id\": \"" + id + "\", \"category\": \"art\"}",
                "{\"index\": 1, \"unique_id\": \"not-a-uuid\", \"category\": \"art\"}",
                "{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"  \"}",
                "{\"index\": 1, \"unique_id\": \"" + id + "\"}",
                "{\"unique_id\": \"" + id + "\", \"category\": \"art\"}",
                "not json at all");
        List<Row> rows = PinColumns.clean(withLineage(read(lines))).collectAsList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getString(2)).isEqualTo("art");
    }

    @Test
    void theReasonNamesTheFirstProblemAndIsNullForAWritablePin() {
        String id = "c5521660-f3a3-4571-b476-189975a3adb3";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"index\": 1, \"unique_id\": \" " + id + "\\n\", \"category\": \" art \", \"title\": \"\\u2028\"}", null);
        cases.put("not json at all", PinColumns.NOT_JSON_OBJECT);
        cases.put("[]", PinColumns.NOT_JSON_OBJECT);
        cases.put("[{\"index\": 1}]", PinColumns.NOT_JSON_OBJECT);
        cases.put("7", PinColumns.NOT_JSON_OBJECT);
        cases.put("", PinColumns.NOT_JSON_OBJECT);
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": ", PinColumns.NOT_JSON_OBJECT);
        cases.put("{}", "index: missing");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"art\", \"_corrupt_record\": \"x\"}", null);
        cases.put("{\"index\": 12345678901234567890, \"unique_id\": \"" + id + "\", \"category\": \"art\"}", PinColumns.INDEX_NOT_AN_INT);
        cases.put("{\"index\": 1, \"category\": \"art\"}", "unique_id: missing");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\\u2028\", \"category\": \"art\"}", "unique_id: not a UUID");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\\u0085\", \"category\": \"art\"}", "unique_id: not a UUID");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\"}", "category: missing");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \" \\t\"}", "category: blank");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"\\u2003\"}", null);
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"art\", \"title\": \"a\\u0000b\"}",
                "title: contains U+0000");
        cases.put("{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"art\", \"save_location\": \"\\u0000\"}",
                "save_location: contains U+0000");
        List<String> lines = new ArrayList<>(cases.keySet());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rows.add(RowFactory.create(i, lines.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        rows.add(RowFactory.create(-1, null));
        rows.add(RowFactory.create(-2, new byte[] {'{', (byte) 0xC3, '}'}));
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("value", DataTypes.BinaryType);
        Column text = col("value").cast(DataTypes.StringType);
        List<Row> reasons = PinColumns.parse(TestSpark.session().createDataFrame(rows, schema), text, false)
                .select(col("id"), PinColumns.reason(text)).collectAsList();

        assertThat(reasons).hasSize(rows.size());
        for (Row row : reasons) {
            int id1 = row.getInt(0);
            String expected = id1 == -1 ? PinColumns.NULL_VALUE : id1 == -2 ? PinColumns.NOT_UTF8 : cases.get(lines.get(id1));
            assertThat(row.getString(1)).as("reason of %s", id1 < 0 ? id1 : lines.get(id1)).isEqualTo(expected);
        }
    }

    /** The schema reads an archive line's lineage as pin-core's format defines it, with the same values. */
    @Test
    void archiveLinesCarryTheirLineageInTheKafkaField() throws Exception {
        String line = "{\"index\": 0, \"_kafka\": {\"partition\": 2, \"offset\": 41, \"timestamp\": 1764201600000}}";
        String lineage = ArchiveLineFormat.LINEAGE + ".";
        Row row = read(List.of(line))
                .select(col(lineage + ArchiveLineFormat.PARTITION), col(lineage + ArchiveLineFormat.OFFSET),
                        col(lineage + ArchiveLineFormat.TIMESTAMP), col(PinFields.INDEX))
                .first();
        assertThat(row.getString(3)).isEqualTo("0");
        assertThat(new ArchiveLineFormat.Lineage(row.getInt(0), row.getLong(1), row.getLong(2)))
                .isEqualTo(ArchiveLineFormat.lineage(PinJson.parse(line)))
                .isEqualTo(new ArchiveLineFormat.Lineage(2, 41, 1764201600000L));
        assertThat(PinSchema.KAFKA_LINEAGE.fieldNames()).containsExactlyElementsOf(ArchiveLineFormat.LINEAGE_MEMBERS);
    }
}
