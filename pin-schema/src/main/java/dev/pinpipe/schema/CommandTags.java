package dev.pinpipe.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command tags psql prints for statements without rows ({@code INSERT 0 2}, {@code CREATE VIEW}),
 * told from the statements' own words: JDBC hands over only the row count. The text is split at each
 * {@code ;} outside quotes, dollar quotes and comments.
 */
final class CommandTags {

    /** Verbs whose tag carries the row count. */
    private static final Set<String> COUNTED = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "FETCH", "MOVE");
    /** Verbs whose tag names the object too: {@code CREATE TABLE}, {@code DROP VIEW}. */
    private static final Set<String> ON_OBJECTS = Set.of("CREATE", "DROP", "ALTER");
    /** Words between such a verb and its object that the tag leaves out. */
    private static final Set<String> QUALIFIERS = Set.of("OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "GLOBAL", "LOCAL");

    private CommandTags() {
    }

    /** One tag, without its count, per statement of {@code sql} that is not blank. */
    static List<String> of(String sql) {
        List<String> tags = new ArrayList<>();
        for (List<String> words : statements(sql)) {
            if (!words.isEmpty()) {
                tags.add(tag(words));
            }
        }
        return tags;
    }

    /** The tag as psql prints it once the statement has affected {@code count} rows. */
    static String withCount(String tag, long count) {
        if (tag.equals("INSERT")) {
            return "INSERT 0 " + count;
        }
        return COUNTED.contains(tag) ? tag + " " + count : tag;
    }

    private static String tag(List<String> words) {
        String verb = words.get(0);
        if (verb.equals("WITH")) {
            // the statement the common table expressions lead to
            return words.stream().skip(1).filter(COUNTED::contains).findFirst().orElse("SELECT");
        }
        if (verb.equals("TRUNCATE")) {
            return "TRUNCATE TABLE";
        }
        if (!ON_OBJECTS.contains(verb)) {
            return verb;
        }
        List<String> rest = words.stream().skip(1).dropWhile(QUALIFIERS::contains).toList();
        if (verb.equals("CREATE") && rest.size() > 2 && rest.get(0).equals("TABLE") && rest.contains("AS")) {
            return "SELECT";   // CREATE TABLE … AS SELECT reports the rows it wrote
        }
        if (rest.isEmpty()) {
            return verb;
        }
        String object = rest.get(0).equals("MATERIALIZED") && rest.size() > 1 ? "MATERIALIZED " + rest.get(1) : rest.get(0);
        return verb + " " + object;
    }

    /** Each statement's words outside parentheses, quotes and comments, upper-cased. */
    private static List<List<String>> statements(String sql) {
        List<List<String>> statements = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ';') {
                statements.add(words);
                words = new ArrayList<>();
                depth = 0;
                i++;
            } else if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
                i = afterQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                i = afterQuoted(sql, i, '"', false);
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                i = afterBlockComment(sql, i);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                i = end < 0 ? sql.length() : end + tag.length();
            } else if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                if (depth == 0) {
                    words.add(sql.substring(start, i).toUpperCase(Locale.ROOT));
                }
            } else {
                i++;
            }
        }
        statements.add(words);
        return statements;
    }

    private static int afterQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                i += 2;   // a doubled quote stands for itself
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    private static int afterBlockComment(String sql, int open) {
        int depth = 0;
        int i = open;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** The dollar-quote opening at {@code i} ({@code $$} or {@code $tag$}), or null when none opens there. */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
            return null;   // part of an identifier, or a parameter such as $1
        }
        int end = i + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end >= sql.length() || sql.charAt(end) != '$' || (end > i + 1 && Character.isDigit(sql.charAt(i + 1)))) {
            return null;
        }
        return sql.substring(i, end + 1);
    }
}
