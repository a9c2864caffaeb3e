package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.rules.Text;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link PinColumns#trim} agrees with pin-core's {@link Text#trim} on every kind of whitespace and line end:
 * only the six ASCII chars of {@link Text#WHITESPACE} are trimmed; U+0085, U+2028, U+00A0, … are content.
 */
class PinColumnsTrimTest {

    @Test
    void trimsExactlyAsPinCoreDoes() {
        List<String> inputs = new ArrayList<>(List.of("", " ", "a", " a ", "\t\n\u000B\f\r a b \r\n", "a \u0085",
                "a\u0085", "a\u0085 ", " \u2028", "x\t\u2029", "\u0085", "a \n", "a \u00A0", "\u3000a\u3000", "a \u2028\n",
                "a\u0085\u0085", " \u00A0 "));
        for (char c = 0; c < 0x3001; c++) {
            inputs.add(" " + c + " x " + c);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(RowFactory.create(i, inputs.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("raw", DataTypes.StringType);
        List<Row> trimmed = TestSpark.session().createDataFrame(rows, schema)
                .select(col("id"), PinColumns.trim(col("raw"))).collectAsList();
        assertThat(trimmed).hasSize(inputs.size());
        assertThat(Text.trim(" a\u0085")).as("a line end outside the six chars is content").isEqualTo("a\u0085");
        for (Row row : trimmed) {
            String input = inputs.get(row.getInt(0));
            assertThat(row.getString(1)).as("trim of %s", input.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(Text.trim(input));
        }
    }
}
