package dev.pinpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The layout of psql's aligned format; each expected text is what psql 15 printed for the same result. */
class AlignedTableTest {

    private static AlignedTable.Column text(String name) {
        return new AlignedTable.Column(name, false);
    }

    private static AlignedTable.Column number(String name) {
        return new AlignedTable.Column(name, true);
    }

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void headersCentredNumbersRightTheLastColumnUnpadded() {
        AlignedTable table = new AlignedTable(List.of(text("bucket"), number("lower_bound"), number("pins")),
                List.of(row("0–99", "0", "2"), row("1M+", "1000000", "12"), row("unknown", null, "1")));

        assertThat(table.render()).isEqualTo("""
                 bucket  | lower_bound | pins\s
                ---------+-------------+------
                 0–99    |           0 |    2
                 1M+     |     1000000 |   12
                 unknown |             |    1
                (3 rows)

                """);
    }

    @Test
    void aValueOfSeveralLinesIsContinuedWithAPlus() {
        AlignedTable table = new AlignedTable(List.of(text("a"), text("b"), number("n")), List.of(row("x", "ab\nc", "1")));

        assertThat(table.render()).isEqualTo("""
                 a | b  | n\s
                ---+----+---
                 x | ab+| 1
                   | c  |\s
                (1 row)

                """);
    }

    @Test
    void aHeaderOfSeveralLinesToo() {
        AlignedTable table = new AlignedTable(List.of(text("multi\nhead"), number("x")), List.of(row("a\nb", "1")));

        assertThat(table.render()).isEqualTo("""
                 multi+| x\s
                 head  | \s\s
                -------+---
                 a    +| 1
                 b     |\s
                (1 row)

                """);
    }

    @Test
    void aNullNumberInTheLastColumnIsPadded() {
        AlignedTable table = new AlignedTable(List.of(text("a"), number("n")), List.of(row("x", "12"), row("longer", null)));

        assertThat(table.render()).isEqualTo("""
                   a    | n \s
                --------+----
                 x      | 12
                 longer |  \s
                (2 rows)

                """);
    }

    @Test
    void noRowsAndNoColumns() {
        assertThat(new AlignedTable(List.of(number("x")), List.of()).render()).isEqualTo(" x \n---\n(0 rows)\n\n");
        assertThat(new AlignedTable(List.of(), List.of(List.of())).render()).isEqualTo("--\n(1 row)\n\n");
    }

    @Test
    void widthsCountCharactersNotBytes() {
        AlignedTable table = new AlignedTable(List.of(text("x"), text("y"), text("z")), List.of(row("a\nb", "c", "éü–")));

        assertThat(table.render()).isEqualTo("""
                 x | y |  z \s
                ---+---+-----
                 a+| c | éü–
                 b |   |\s
                (1 row)

                """);
    }
}
