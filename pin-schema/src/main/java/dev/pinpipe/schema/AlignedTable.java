package dev.pinpipe.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A query result laid out as psql's default "aligned" format prints it: centred headers, a rule of
 * dashes, numbers right-aligned, a value of several lines continued with {@code +}, NULL as nothing,
 * the row count last. Widths count code points (psql counts a wide character twice).
 *
 * @param columns the result's columns, in order
 * @param rows    each row's values as text, null for NULL
 */
record AlignedTable(List<Column> columns, List<List<String>> rows) {

    /** @param rightAligned true for numbers, as psql aligns them */
    record Column(String name, boolean rightAligned) {
    }

    AlignedTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(row -> java.util.Collections.unmodifiableList(new ArrayList<>(row))).toList();
    }

    /** The table, then {@code (n rows)} and an empty line, each line ending in a newline. */
    String render() {
        StringBuilder out = new StringBuilder();
        if (columns.isEmpty()) {
            out.append("--\n");
        } else {
            int[] widths = widths();
            appendLines(out, columns.stream().map(Column::name).toList(), widths, true);
            for (int i = 0; i < widths.length; i++) {
                out.append(i == 0 ? "" : "+").append("-".repeat(widths[i] + 2));
            }
            out.append('\n');
            for (List<String> row : rows) {
                appendLines(out, row, widths, false);
            }
        }
        return out.append('(').append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append("\n\n").toString();
    }

    private int[] widths() {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = widest(columns.get(i).name());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], widest(row.get(i)));
            }
        }
        return widths;
    }

    /** One row (or the header) as lines: as many as its tallest value. */
    private void appendLines(StringBuilder out, List<String> values, int[] widths, boolean header) {
        List<String[]> cells = values.stream().map(v -> v == null ? new String[] {""} : v.split("\n", -1)).toList();
        int height = cells.stream().mapToInt(lines -> lines.length).max().orElse(1);
        int last = cells.size() - 1;
        for (int line = 0; line < height; line++) {
            out.append(' ');
            for (int i = 0; i <= last; i++) {
                String[] lines = cells.get(i);
                boolean present = line < lines.length;
                boolean continued = line < lines.length - 1;
                String text = present ? lines[line] : "";
                // psql pads the last column only where something follows it (a header, a '+', a number's left padding)
                boolean padded = i < last || header || continued || (present && columns.get(i).rightAligned());
                out.append(padded ? pad(text, widths[i], header, columns.get(i).rightAligned()) : text);
                if (i < last) {
                    out.append(continued ? "+| " : " | ");
                } else if (continued || header) {
                    out.append(continued ? '+' : ' ');
                }
            }
            out.append('\n');
        }
    }

    private static String pad(String text, int width, boolean centred, boolean right) {
        int room = width - length(text);
        if (centred) {
            return " ".repeat(room / 2) + text + " ".repeat(room - room / 2);
        }
        return right ? " ".repeat(room) + text : text + " ".repeat(room);
    }

    private static int widest(String value) {
        int widest = 0;
        for (String line : (value == null ? "" : value).split("\n", -1)) {
            widest = Math.max(widest, length(line));
        }
        return widest;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
