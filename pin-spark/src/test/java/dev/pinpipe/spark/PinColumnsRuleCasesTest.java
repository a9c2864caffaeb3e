package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.rules.DownloadedRule;
import dev.pinpipe.core.rules.FollowerCountRule;
import dev.pinpipe.core.rules.RuleCases;
import dev.pinpipe.core.rules.RuleCases.Case;
import dev.pinpipe.core.rules.TextRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of pin-core's rule table through the Spark form of its rule, compared with the expected
 * value and with the plain-Java form. All cases are evaluated in one Spark job (one row per case).
 */
class PinColumnsRuleCasesTest {

    private static final Map<Integer, Object> SPARK_RESULTS = new HashMap<>();

    static List<Case> cases() {
        return Stream.of(RuleCases.followerCount(), RuleCases.downloaded(), RuleCases.text())
                .flatMap(List::stream).toList();
    }

    @BeforeAll
    static void evaluateEveryCaseInSpark() {
        List<Case> cases = cases();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            rows.add(RowFactory.create(i, cases.get(i).rule(), cases.get(i).raw()));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("rule", DataTypes.StringType)
                .add("raw", DataTypes.StringType);
        Dataset<Row> input = TestSpark.session().createDataFrame(rows, schema);

        List<Column> results = new ArrayList<>(List.of(col("id"), col("rule"),
                PinColumns.followerCount(col("raw")).as(RuleCases.FOLLOWER_COUNT),
                PinColumns.downloaded(col("raw")).as(RuleCases.DOWNLOADED)));
        for (TextRule rule : TextRule.values()) {
            results.add(PinColumns.text(rule, col("raw")).as(rule.name()));
        }
        for (Row row : input.select(results.toArray(Column[]::new)).collectAsList()) {
            SPARK_RESULTS.put(row.getInt(0), row.get(row.fieldIndex(row.getString(1))));
        }
        assertThat(SPARK_RESULTS).hasSize(cases.size());
    }

    @ParameterizedTest(name = "{index} {0}")
    @MethodSource("cases")
    void sparkFormEqualsExpectedAndPlainJava(Case c) {
        int id = cases().indexOf(c);
        Object spark = SPARK_RESULTS.get(id);
        assertThat(spark).as("Spark form").isEqualTo(c.expected());
        assertThat(spark).as("Spark form vs plain Java").isEqualTo(plainJava(c));
    }

    private static Object plainJava(Case c) {
        return switch (c.rule()) {
            case RuleCases.FOLLOWER_COUNT -> FollowerCountRule.clean(c.raw());
            case RuleCases.DOWNLOADED -> DownloadedRule.clean(c.raw());
            default -> TextRule.valueOf(c.rule()).clean(c.raw());
        };
    }
}
