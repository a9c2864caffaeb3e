package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.rpad;
import static org.apache.spark.sql.functions.split_part;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.try_add;
import static org.apache.spark.sql.functions.try_multiply;
import static org.apache.spark.sql.functions.when;

import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.core.rules.DownloadedRule;
import dev.pinpipe.core.rules.FollowerCountRule;
import dev.pinpipe.core.rules.Text;
import dev.pinpipe.core.rules.TextRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The seven rules of the pin contract as Spark Column expressions, built only from Spark's built-in
 * functions and pin-core's rule constants, so each rule has one definition and no opaque UDF: the
 * optimizer and code generation see every step. Each method takes the raw string column of its field
 * (see {@link PinSchema}) and is total: any input gives a value or null, never an error, with Spark's
 * ANSI mode on (every cast is a {@code try_cast}, every multiplication a {@code try_multiply}).
 */
public final class PinColumns {

    /** Lineage columns a caller of {@link #clean} provides next to the raw fields. */
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";
    public static final String INGESTED_AT = "ingested_at";
    /**
     * The one column of {@link PinTable#COLUMNS} that {@link #clean} does not produce: the database
     * stamps it (the staging table's {@code DEFAULT now()}, see {@link PostgresUpsert}), so it is the
     * time the row was written, the same for every row of one transaction.
     */
    public static final String PROCESSED_AT = "processed_at";
    /** The columns of {@link #clean}'s rows, in order: {@link PinTable#COLUMNS} without {@link #PROCESSED_AT}. */
    public static final List<String> CLEAN_COLUMNS = PinTable.COLUMNS.stream().filter(c -> !c.equals(PROCESSED_AT)).toList();

    /**
     * Session settings the rules want: whole-stage code generation stays off for a stage whose
     * generated method would exceed HotSpot's 8000-byte JIT limit (Spark's own advice for HotSpot),
     * so such a stage runs as small, compiled per-operator code instead of one interpreted method.
     * Both jobs apply these to their session ({@code spark.conf().set}, runtime SQL settings).
     */
    public static final Map<String, String> SPARK_CONF = Map.of("spark.sql.codegen.hugeMethodLimit", "8000");

    /** The name of the column holding {@link #reason} where jobs keep it beside the clean columns. */
    public static final String REASON = "reject_reason";
    public static final String NULL_VALUE = "value is null";
    public static final String NOT_UTF8 = "value is not UTF-8";
    public static final String NOT_JSON_OBJECT = "not a JSON object";
    public static final String INDEX_NOT_AN_INT = PinFields.INDEX + ": must be an integer 0.." + Integer.MAX_VALUE;
    private static final String NUL = "\u0000";

    /** The contract fields (strings) and {@link PinSchema#CORRUPT_RECORD}: a Kafka record's schema. */
    private static final StructType CONTRACT_WITH_CORRUPT_RECORD = contractWithCorruptRecord();

    /** How {@code parse} reads a record: a line that is not JSON is kept in {@link PinSchema#CORRUPT_RECORD}, never an error. */
    public static final Map<String, String> JSON_OPTIONS = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", PinSchema.CORRUPT_RECORD);

    /** An {@code index} must be plain digits before it is cast (so {@code "7.0"} or {@code "-1"} is unusable, as in the validator). */
    private static final String INDEX_REGEX = "^[0-9]+$";

    /**
     * The smallest string that sorts after every value starting with a {@link Text#WHITESPACE} char (all
     * are at most {@code ' '}) and after "": {@code value < "!"} tests the first byte without copying.
     */
    private static final String AFTER_WHITESPACE = "!";

    private PinColumns() {
    }

    /**
     * Leading and trailing whitespace removed, as pin-core's {@link Text#trim} does (its six ASCII chars,
     * nothing else); null stays null. Most values have no edge whitespace, and for them this is a
     * handful of byte comparisons that return the value itself: the first byte against {@code "!"} and
     * the last char with {@code endsWith}. Only a value that may change takes Spark's trim.
     */
    public static Column trim(Column raw) {
        // on a never-null stand-in, so the generated code of the tests has no null branches (it
        // stays small: whole-stage code generation needs every method under HotSpot's 8000 bytes)
        Column text = coalesce(raw, lit(""));
        Column mayChange = text.lt(lit(AFTER_WHITESPACE));
        for (char c : Text.WHITESPACE.toCharArray()) {
            mayChange = mayChange.or(text.endsWith(String.valueOf(c)));
        }
        return when(mayChange, edgeTrim(raw)).otherwise(raw);
    }

    /** The exact trim: Spark's trim of pin-core's whitespace set, for the few values that have edge whitespace. */
    private static Column edgeTrim(Column raw) {
        return functions.trim(raw, Text.WHITESPACE);
    }

    /** Rule 1: {@code follower_count} → BIGINT (digits, or a number with a k/K/M/B suffix rounded half-up). */
    public static Column followerCount(Column raw) {
        return followerCountOfTrimmed(trim(raw));
    }

    /** Rule 2: {@code downloaded} → BOOLEAN ({@code 1} true, {@code 0} false, anything else null). */
    public static Column downloaded(Column raw) {
        return downloadedOfTrimmed(trim(raw));
    }

    /** Rules 3–7: a text column whose placeholders (after trimming) mean null, blank means null, else trimmed. */
    public static Column text(TextRule rule, Column raw) {
        return textOfTrimmed(rule, trim(raw));
    }

    /**
     * Why a raw row cannot become a row of the pin tables, or null when it can: the first problem
     * found, in a few words ({@code "not a JSON object"}, {@code "index: must be an integer
     * 0..2147483647"}, {@code "unique_id: not a UUID"}, {@code "category: blank"},
     * {@code "title: contains U+0000"}, …). The rules are pin-core's: {@code index} plain digits
     * fitting an int, {@code unique_id} matching {@link PinValidator#UUID_REGEX} once trimmed
     * ({@link Text#WHITESPACE}), {@code category} not blank once trimmed, and no U+0000 in a contract
     * text field (PostgreSQL text cannot hold it). Refers to the raw columns by their field names and
     * to {@link PinSchema#CORRUPT_RECORD} (see {@link #parse(Dataset, Column, boolean)}).
     */
    public static Column reason() {
        Column reason = when(col(PinSchema.CORRUPT_RECORD).isNotNull(), lit(NOT_JSON_OBJECT))
                .when(col(PinFields.INDEX).isNull(), lit(missing(PinFields.INDEX)))
                .when(indexOfTrimmed(trim(col(PinFields.INDEX))).isNull(), lit(INDEX_NOT_AN_INT))
                .when(col(PinFields.UNIQUE_ID).isNull(), lit(missing(PinFields.UNIQUE_ID)))
                .when(functions.not(trim(col(PinFields.UNIQUE_ID)).rlike(PinValidator.UUID_REGEX)),
                        lit(PinFields.UNIQUE_ID + ": not a UUID"))
                .when(col(PinFields.CATEGORY).isNull(), lit(missing(PinFields.CATEGORY)))
                .when(trim(col(PinFields.CATEGORY)).equalTo(lit("")), lit(PinFields.CATEGORY + ": blank"));
        for (String field : PinFields.ALL) {
            if (!field.equals(PinFields.INDEX)) { // an index holding U+0000 is not digits
                reason = reason.when(col(field).contains(NUL), lit(field + ": contains U+0000"));
            }
        }
        return reason;
    }

    /**
     * {@link #reason()} behind the checks of the record itself, which come first: a null
     * {@code text} ({@value #NULL_VALUE}: a Kafka tombstone) and bytes that are not UTF-8
     * ({@value #NOT_UTF8}). {@code text} is the record as a string column holding its bytes as they
     * are (a binary value cast to string, or a line read as text).
     */
    public static Column reason(Column text) {
        return when(text.isNull(), lit(NULL_VALUE))
                .when(functions.not(functions.is_valid_utf8(text)), lit(NOT_UTF8))
                .otherwise(reason());
    }

    /**
     * {@code input} with its {@code text} parsed as a raw pin: every column of {@code input}, then each
     * contract field as a top-level string column (and {@link PinSchema#KAFKA} when
     * {@code archiveLineage}: an archive line carries it, a Kafka record does not), and
     * {@link PinSchema#CORRUPT_RECORD}, which holds the text whenever it is not one JSON object of
     * the schema: not JSON at all, an array, a scalar, blank (Spark's PERMISSIVE mode keeps such a
     * record instead of failing). Both jobs read their records this way, so "not JSON" and "a field
     * missing" differ.
     *
     * <p>A pin may carry an unknown field named {@code _corrupt_record} (the contract ignores unknown
     * fields): Spark would read its value into that column, so the text counts as corrupt only when
     * the column holds the whole text, which no field of the text can.
     */
    public static Dataset<Row> parse(Dataset<Row> input, Column text, boolean archiveLineage) {
        StructType schema = archiveLineage ? PinSchema.RAW_WITH_CORRUPT_RECORD : CONTRACT_WITH_CORRUPT_RECORD;
        String pin = "_pin";
        Dataset<Row> parsed = input.withColumn(pin, functions.from_json(text, schema, JSON_OPTIONS));
        List<Column> columns = new ArrayList<>();
        for (String name : input.columns()) {
            columns.add(functions.col(quoted(name)));
        }
        for (String field : schema.fieldNames()) {
            if (!field.equals(PinSchema.CORRUPT_RECORD)) {
                columns.add(col(pin).getField(field).as(field));
            }
        }
        Column corrupt = col(pin).getField(PinSchema.CORRUPT_RECORD);
        // a blank text parses to a null struct rather than to a corrupt record
        columns.add(when(col(pin).isNull(), coalesce(text, lit(""))).when(corrupt.equalTo(text), corrupt)
                .as(PinSchema.CORRUPT_RECORD));
        return parsed.select(columns.toArray(Column[]::new));
    }

    /**
     * The columns of {@link #CLEAN_COLUMNS} as expressions over the raw columns (the projection of
     * {@link #clean}). Total on any row, so a job may evaluate them beside {@link #reason} in one
     * projection; their values mean something only where the reason is null.
     */
    public static List<Column> cleanColumns() {
        return List.of(
                trim(col(PinFields.UNIQUE_ID)).as("unique_id"),
                indexOfTrimmed(trim(col(PinFields.INDEX))).as("index"),
                trim(col(PinFields.CATEGORY)).as("category"),
                text(TextRule.TITLE, col(PinFields.TITLE)).as("title"),
                text(TextRule.DESCRIPTION, col(PinFields.DESCRIPTION)).as("description"),
                text(TextRule.TAG_LIST, col(PinFields.TAG_LIST)).as("tag_list"),
                followerCount(col(PinFields.FOLLOWER_COUNT)).as("follower_count"),
                downloaded(col(PinFields.DOWNLOADED)).as("downloaded"),
                trim(col(PinFields.IS_IMAGE_OR_VIDEO)).as("is_image_or_video"),
                text(TextRule.IMAGE_SRC, col(PinFields.IMAGE_SRC)).as("image_src"),
                text(TextRule.SAVE_LOCATION, col(PinFields.SAVE_LOCATION)).as("save_location"),
                col(KAFKA_PARTITION).cast(DataTypes.IntegerType).as(KAFKA_PARTITION),
                col(KAFKA_OFFSET).cast(DataTypes.LongType).as(KAFKA_OFFSET),
                col(INGESTED_AT).cast(DataTypes.TimestampType).as(INGESTED_AT));
    }

    /**
     * The rows of {@code raw} whose {@link #reason()} is null, cleaned: exactly the columns of
     * {@link #CLEAN_COLUMNS} in order, typed as the tables are ({@code unique_id} as its trimmed
     * string, {@code index} int, text columns string, {@code follower_count} bigint,
     * {@code downloaded} boolean, {@code kafka_partition} int, {@code kafka_offset} bigint,
     * {@code ingested_at} timestamp). No {@code processed_at}: it is the time of the write, which
     * {@link PostgresUpsert} leaves to the database.
     *
     * <p>Input shape: every contract field of {@link PinSchema#RAW} as a top-level string column under
     * its JSON name, {@link PinSchema#CORRUPT_RECORD} when the input has one (as {@code parse} gives
     * it), plus the lineage as top-level columns {@code kafka_partition} (int), {@code kafka_offset}
     * (bigint) and {@code ingested_at} (timestamp). Other columns are ignored.
     */
    public static Dataset<Row> clean(Dataset<Row> raw) {
        Dataset<Row> input = Arrays.asList(raw.columns()).contains(PinSchema.CORRUPT_RECORD) ? raw
                : raw.withColumn(PinSchema.CORRUPT_RECORD, lit(null).cast(DataTypes.StringType));
        return input.where(reason().isNull()).select(cleanColumns().toArray(Column[]::new));
    }

    private static Column col(String name) {
        return functions.col(name);
    }

    private static StructType contractWithCorruptRecord() {
        StructType schema = new StructType();
        for (String field : PinFields.ALL) {
            schema = schema.add(field, DataTypes.StringType);
        }
        return schema.add(PinSchema.CORRUPT_RECORD, DataTypes.StringType);
    }

    private static String missing(String field) {
        return field + ": missing";
    }

    /** A column name as {@code col} reads it literally (dots and backticks in a name are not paths). */
    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Rule 1 on trimmed text, as one sum so that Spark evaluates each part once (it shares a
     * sub-expression used twice outside a CASE branch, never one inside a branch): the count is
     * whole × multiplier + the fraction's first k digits (+1 when the next digit is 5 or more, as
     * half-up rounding needs no other digit), in BIGINT with try_ arithmetic (overflow → null).
     * Plain digits are the same sum with multiplier 1 and k = 0.
     *
     * <p>Cheap tests first: a count starts with a digit (one byte comparison); a text ending in a
     * suffix letter must match the suffixed form (pin-core's regex, which extracts "" for no match);
     * any other text must be plain digits, which a canonical number shows by printing back as itself
     * (the regex decides the rest, e.g. leading zeros).
     */
    private static Column followerCountOfTrimmed(Column text) {
        Column multiplier = bySuffix(text, factor -> lit(factor), lit(1L));
        Column zeros = bySuffix(text, factor -> lit(Long.toString(factor).length() - 1), lit(0));
        Column number = when(startsWithDigit(text).and(zeros.gt(lit(0))),
                        regexp_extract(text, FollowerCountRule.SUFFIXED_REGEX, FollowerCountRule.SUFFIXED_NUMBER_GROUP))
                .when(startsWithDigit(text).and(isDigits(text, DataTypes.LongType, FollowerCountRule.DIGITS_REGEX)), text);
        Column whole = split_part(number, lit("."), lit(1)).try_cast(DataTypes.LongType);
        Column fraction = split_part(number, lit("."), lit(2));
        Column kept = functions.concat(lit("0"), rpad(fraction, zeros, lit("0"))).try_cast(DataTypes.LongType);
        Column roundUp = when(fraction.substr(zeros.plus(lit(1)), lit(1)).geq(lit("5")), lit(1L)).otherwise(lit(0L));
        return try_add(try_multiply(whole, multiplier), kept.plus(roundUp));
    }

    /** A CASE on the text's last char: {@code value} of the suffix's multiplier (a power of ten), else {@code none}. */
    private static Column bySuffix(Column text, Function<Long, Column> value, Column none) {
        Column result = null;
        for (Map.Entry<String, Long> suffix : FollowerCountRule.MULTIPLIERS.entrySet()) {
            Column ends = text.endsWith(suffix.getKey());
            result = result == null ? when(ends, value.apply(suffix.getValue())) : result.when(ends, value.apply(suffix.getValue()));
        }
        return result.otherwise(none);
    }

    /**
     * {@code text} (starting with a digit) is plain digits: it prints back as itself once cast to
     * {@code type} (Spark's cast alone also takes "7.0" or a trailing control char), or else it matches
     * {@code digitsRegex} (leading zeros; too large for the type).
     */
    private static Column isDigits(Column text, DataType type, String digitsRegex) {
        return text.try_cast(type).cast(DataTypes.StringType).equalTo(text).or(text.rlike(digitsRegex));
    }

    /** The first byte is an ASCII digit: {@code "0" <= text < ":"} compares bytes without copying. */
    private static Column startsWithDigit(Column text) {
        return text.geq(lit("0")).and(text.lt(lit(":")));
    }

    private static Column downloadedOfTrimmed(Column text) {
        return when(text.equalTo(lit(DownloadedRule.TRUE_TEXT)), lit(true))
                .when(text.equalTo(lit(DownloadedRule.FALSE_TEXT)), lit(false));
    }

    private static Column textOfTrimmed(TextRule rule, Column text) {
        Column empty = text.equalTo(lit(""));
        if (!rule.placeholders().isEmpty()) {
            empty = empty.or(text.isin(rule.placeholders().toArray()));
        }
        Column value = when(empty, lit(null).cast(DataTypes.StringType));
        String prefix = rule.strippedPrefix();
        if (prefix != null) {
            value = value.when(text.startsWith(prefix), stripped(text, prefix));
        }
        return value.otherwise(text);
    }

    /**
     * {@code text} (trimmed, starting with {@code prefix}) without the prefix, trimmed again, blank →
     * null. The rest (a substring, so the prefix is taken literally) only needs trimming when it
     * starts with whitespace, or when the text ends in an exotic line end (see {@link #trim}); the
     * text's end has been trimmed already. Tested with startsWith/endsWith on the text, so the rest
     * is cut once on the common path.
     */
    private static Column stripped(Column text, String prefix) {
        Column rest = substring(text, prefix.length() + 1, Integer.MAX_VALUE);
        Column mayChange = text.equalTo(lit(prefix));
        for (char c : Text.WHITESPACE.toCharArray()) {
            mayChange = mayChange.or(text.startsWith(prefix + c));
        }
        Column trimmedRest = edgeTrim(rest);
        return when(mayChange, when(trimmedRest.notEqual(lit("")), trimmedRest)).otherwise(rest);
    }

    /** The trimmed {@code index} as an int, or null when it is not plain digits fitting an int. */
    private static Column indexOfTrimmed(Column text) {
        return when(startsWithDigit(text).and(isDigits(text, DataTypes.IntegerType, INDEX_REGEX)), text.try_cast(DataTypes.IntegerType));
    }
}
