package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.rules.DownloadedRule;
import dev.pinpipe.core.rules.FollowerCountRule;
import dev.pinpipe.core.rules.Text;
import dev.pinpipe.core.rules.TextRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Inputs aimed at the shortcuts of {@link PinColumns} (the byte-comparison guards, the cast that
 * accepts more than digits, the BIGINT rounding, the prefix strip without a second guard), each
 * compared with the plain-Java rule, which is the contract.
 */
class PinColumnsEdgeCasesTest {

    private static final List<String> FOLLOWER_COUNTS = List.of(
            "7\u0001", "\u00017", "7.0", "7.", "0007", "+5", "5 ", "1.k", "1..5k", "1.5kk", "1.5.5k", "12\u0000",
            "1.99999k", "0.5k", "0.0005k", "0.0004k", "0.00049999k", "4.99999999999999999999k", "9.9999999995B",
            "9223372036854775807k", "9223372036854775.8075k", "9223372036854775.8065k", "922337203685.4775807M",
            "9.223372036854775807B", "9.2233720368547758075B", "1.5B", "1B", "0k", "00.5k", "1e3k", "1e3",
            "12\u2028", "1 000", "١٢", "12k\u0085", "2147483648", "5k ", " 5K\t", "5\u00A0k", "k5");

    private static final List<String> TEXTS = List.of(
            "Local save in \t/x", "Local save in x \u2028\n", "Local save in \u0085", "Local save in  \u2029",
            "Local save in /x\u0085", "Local save in", "Local save in \u0001", "\u0001Local save in /x",
            "Local save in /x \u00A0", "Local save in Local save in /x", "\u2028", " \u2028", "a\u2028\n",
            "No Title Data Available\u0085", "No Title Data Available \u0085", "!", " !", "\u0000", "\u007F x",
            "é ", " é", "🎉", "x\u3000", "Image src error.\t", "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\r\n");

    private static final List<String> DOWNLOADED = List.of("1\u0001", "1\u0085", "1 \u0085", "\u00851", "1\u2028\n", "0\r\n");

    private static final List<String> INDEXES = List.of(
            "7", " 7 ", "007", "0", "7\u0001", "7.0", "+7", "-0", "2147483647", "2147483648", "1e3", "7 7", "\t7\n", "");

    private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");

    @Test
    void everyRuleAgreesWithPlainJavaOnTheEdges() {
        List<String> inputs = new ArrayList<>();
        inputs.addAll(FOLLOWER_COUNTS);
        inputs.addAll(TEXTS);
        inputs.addAll(DOWNLOADED);
        inputs.addAll(INDEXES);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(RowFactory.create(i, inputs.get(i)));
        }
        List<Column> columns = new ArrayList<>(List.of(col("id"),
                PinColumns.followerCount(col("raw")), PinColumns.downloaded(col("raw"))));
        for (TextRule rule : TextRule.values()) {
            columns.add(PinColumns.text(rule, col("raw")));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("raw", DataTypes.StringType);
        List<Row> results = TestSpark.session().createDataFrame(rows, schema).select(columns.toArray(Column[]::new)).collectAsList();

        assertThat(results).hasSize(inputs.size());
        for (Row row : results) {
            String raw = inputs.get(row.getInt(0));
            String shown = raw.chars().mapToObj(Integer::toHexString).toList().toString();
            assertThat(row.get(1)).as("follower_count of %s", shown).isEqualTo(FollowerCountRule.clean(raw));
            assertThat(row.get(2)).as("downloaded of %s", shown).isEqualTo(DownloadedRule.clean(raw));
            for (TextRule rule : TextRule.values()) {
                assertThat(row.get(3 + rule.ordinal())).as("%s of %s", rule, shown).isEqualTo(rule.clean(raw));
            }
        }
    }

    @Test
    void anIndexIsUsableOnlyAsPlainDigitsFittingAnInt() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < INDEXES.size(); i++) {
            rows.add(RowFactory.create(INDEXES.get(i), "c5521660-f3a3-4571-b476-189975a3adb3", "art", (long) i));
        }
        StructType schema = new StructType().add(PinFields.INDEX, DataTypes.StringType)
                .add(PinFields.UNIQUE_ID, DataTypes.StringType).add(PinFields.CATEGORY, DataTypes.StringType)
                .add("id", DataTypes.LongType);
        Dataset<Row> raw = TestSpark.session().createDataFrame(rows, schema);
        for (String field : PinFields.ALL.subList(3, PinFields.ALL.size())) {
            raw = raw.withColumn(field, lit(null).cast(DataTypes.StringType));
        }
        List<Row> results = raw.withColumn(PinSchema.CORRUPT_RECORD, lit(null).cast(DataTypes.StringType))
                .select(col("id"), PinColumns.reason()).collectAsList();

        assertThat(results).hasSize(INDEXES.size());
        for (Row row : results) {
            String index = INDEXES.get((int) row.getLong(0));
            assertThat(row.getString(1)).as("reason of index %s", index.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(plainIndex(index) != null ? null : PinColumns.INDEX_NOT_AN_INT);
        }
    }

    /** The rule {@link PinColumns#reason()} applies to {@code index}: trimmed, plain digits, fitting an int. */
    private static Integer plainIndex(String raw) {
        String text = Text.trim(raw);
        if (!DIGITS.matcher(text).matches()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }
}
