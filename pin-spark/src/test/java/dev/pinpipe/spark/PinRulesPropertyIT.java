package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.CleanPin;
import dev.pinpipe.core.PinCleaner;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hostile pins ({@link HostilePinJson}) through pin-core's validator and plain-Java rules, through
 * pin-spark's reason and rules (from_json over the same bytes, as the jobs read them) and through the
 * binary COPY into the real PostgreSQL. One try is a few hundred pins in one Spark job per step:
 * Spark per example would take hours.
 */
class PinRulesPropertyIT {

    private static final int PINS_PER_TRY = 300;
    private static final StructType INPUT = new StructType()
            .add("id", DataTypes.IntegerType).add("raw", DataTypes.BinaryType).add("canonical", DataTypes.BinaryType);

    private static PostgresSettings postgres;

    @BeforeContainer
    static void stack() {
        LocalStack stack = LocalStackExtension.stack();
        postgres = new PostgresSettings(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }

    @Provide
    Arbitrary<List<String>> pinBatches() {
        return HostilePinJson.pins().list().ofSize(PINS_PER_TRY);
    }

    /**
     * For every pin: the reason is null exactly when the validator accepts it. For every accepted pin:
     * the Spark rules over its canonical JSON give the row {@code PinCleaner.clean} gives, and the
     * COPY writer stores that row in PostgreSQL unchanged.
     */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void sparkAgreesWithTheValidatorAndPostgresKeepsTheRows(@ForAll("pinBatches") List<String> pins) throws SQLException {
        List<PinValidation> validations = new ArrayList<>();
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < pins.size(); i++) {
            byte[] raw = pins.get(i).getBytes(StandardCharsets.UTF_8);
            PinValidation v = PinValidator.validate(raw);
            validations.add(v);
            input.add(RowFactory.create(i, raw, v.isValid() ? v.canonical() : null));
        }
        long accepted = validations.stream().filter(PinValidation::isValid).count();
        // the generator must keep both sides busy, or the property would hold vacuously
        assertThat(accepted).as("pins the validator accepts").isBetween(PINS_PER_TRY / 5L, PINS_PER_TRY * 19L / 20);
        Dataset<Row> records = TestSpark.session().createDataFrame(input, INPUT);

        // 1. the reason over the record as the stream reads it
        Column rawText = col("raw").cast(DataTypes.StringType);
        Map<Integer, String> reasons = new HashMap<>();
        PinColumns.parse(records, rawText, false).select(col("id"), PinColumns.reason(rawText)).collectAsList()
                .forEach(r -> reasons.put(r.getInt(0), r.getString(1)));
        assertThat(reasons).hasSize(pins.size());
        for (int i = 0; i < pins.size(); i++) {
            PinValidation v = validations.get(i);
            assertThat(reasons.get(i) == null).as("reason %s for %s; validator: %s", reasons.get(i), shown(pins.get(i)), v.errors())
                    .isEqualTo(v.isValid());
        }

        // 2. the rules over the canonical JSON of the accepted pins
        Column canonical = col("canonical").cast(DataTypes.StringType);
        Dataset<Row> clean = PinColumns.clean(PinColumns.parse(records.where(col("canonical").isNotNull()), canonical, false)
                .withColumn(PinColumns.KAFKA_PARTITION, lit(0))
                .withColumn(PinColumns.KAFKA_OFFSET, col("id").cast(DataTypes.LongType))
                .withColumn(PinColumns.INGESTED_AT, timestamp_millis(lit(1_764_201_600_000L))));
        List<Row> rows = clean.collectAsList();
        assertThat(rows).hasSize((int) accepted);
        Map<String, Row> newestById = new HashMap<>();
        for (Row row : rows) {
            int i = (int) row.getLong(row.fieldIndex(PinColumns.KAFKA_OFFSET));
            CleanPin expected = PinCleaner.clean(validations.get(i).pin());
            assertThat(values(row)).as("%s", shown(pins.get(i))).containsExactly(expected(expected));
            newestById.merge(row.getString(0).toLowerCase(Locale.ROOT), row,
                    (a, b) -> a.getLong(a.fieldIndex(PinColumns.KAFKA_OFFSET)) >= b.getLong(b.fieldIndex(PinColumns.KAFKA_OFFSET)) ? a : b);
        }

        // 3. the same rows through the binary COPY and back
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE pins_batch");
        }
        assertThat(PostgresUpsert.write(clean, PinTable.PINS_BATCH, postgres)).isEqualTo(accepted);
        Map<String, Object[]> stored = stored();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(newestById.keySet());
        newestById.forEach((id, row) -> assertThat(stored.get(id)).as(id).containsExactly(values(row)));
        System.out.printf("try: %d pins, %d accepted, %d rows stored%n", pins.size(), accepted, stored.size());
    }

    /** The data columns of a clean row, unique_id lowercase (as PostgreSQL's uuid prints it). */
    private static Object[] values(Row row) {
        Object[] values = new Object[11];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        values[0] = ((String) values[0]).toLowerCase(Locale.ROOT);
        return values;
    }

    private static Object[] expected(CleanPin p) {
        return new Object[] {p.uniqueId().toString(), p.index(), p.category(), p.title(), p.description(), p.tagList(),
                p.followerCount(), p.downloaded(), p.isImageOrVideo(), p.imageSrc(), p.saveLocation()};
    }

    private static Map<String, Object[]> stored() throws SQLException {
        Map<String, Object[]> rows = new HashMap<>();
        try (Connection c = postgres.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT unique_id::text, index, category, title, description, tag_list, follower_count,"
                     + " downloaded, is_image_or_video, image_src, save_location FROM pins_batch")) {
            while (rs.next()) {
                Object[] values = new Object[11];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                rows.put((String) values[0], values);
            }
        }
        return rows;
    }

    /** A pin for a failure message, its chars beyond printable ASCII as escapes. */
    private static String shown(String pin) {
        StringBuilder out = new StringBuilder();
        pin.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

}
