package dev.pinpipe.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.try_element_at;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

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
    public static final String PROCESSED_AT = "processed_at";

    /**
     * Session settings the rules want: whole-stage code generation stays off for a stage whose
     * generated method would exceed HotSpot's 8000-byte JIT limit (Spark's own advice for HotSpot),
     * so such a stage runs as small, compiled per-operator code instead of one interpreted method.
     * Both jobs apply these to their session ({@code spark.conf().set}, runtime SQL settings).
     */
    public static final Map<String, String> SPARK_CONF = Map.of("spark.sql.codegen.hugeMethodLimit", "8000");

    /** An {@code index} must be plain digits before it is cast (so {@code "7.0"} or {@code "-1"} is unusable, as in the validator). */
    private static final String INDEX_REGEX = "^[0-9]+$";

    /**
     * Half-up rounding to a whole count only looks at the first fraction digit after the multiplier's
     * zeros (at most 9 for {@code B}), so the number is cut (not rounded, which could carry) to 10
     * fraction digits and then computed exactly: decimal(27,10) × decimal(10,0) = decimal(38,10), which
     * fits Spark's maximum precision without any precision loss. A number with more than 17 whole
     * digits times at least 1000 is past BIGINT anyway, and its try_cast gives null.
     */
    private static final String NUMBER_PREFIX_REGEX = "^[0-9]+(\\.[0-9]{1,10})?";
    private static final DataType NUMBER_TYPE = DataTypes.createDecimalType(27, 10);
    private static final DataType MULTIPLIER_TYPE = DataTypes.createDecimalType(10, 0);
    private static final Column MULTIPLIERS = multipliers();
    /** Every char that pin-core's edge-whitespace regex removes on its own (its {@code \\s}). */
    private static final String WHITESPACE = whitespace();

    private PinColumns() {
    }

    /**
     * Leading and trailing whitespace removed, as pin-core's {@link Text#trim} does; null stays null.
     * Spark's {@code trim(column, characters)} on the characters that pin-core's
     * {@link Text#EDGE_WHITESPACE_REGEX} removes (derived from it below) gives the same result as that
     * regex without turning each value into a Java string and back.
     */
    public static Column trim(Column raw) {
        // The regex's "$" also matches before a final \u0085, \u2028 or \u2029 (Java line terminators
        // that are not \\s), so a value ending in one of them keeps the regex itself.
        Column exotic = raw.endsWith("\u0085").or(raw.endsWith("\u2028")).or(raw.endsWith("\u2029"));
        return when(exotic, regexp_replace(raw, lit(Text.EDGE_WHITESPACE_REGEX), lit("")))
                .otherwise(functions.trim(raw, WHITESPACE));
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
     * True when the required fields can be used as a row of the pin tables: {@code index} parses as a
     * non-negative int, {@code unique_id} is a UUID ({@link PinValidator#UUID_REGEX}) and
     * {@code category} is not blank. Never null. Refers to the raw columns by their field names.
     */
    public static Column usable() {
        return usable(field -> trim(col(field)));
    }

    /**
     * The usable rows of {@code raw}, cleaned: exactly the columns of {@link PinTable#COLUMNS} in order,
     * typed as the tables are ({@code unique_id} as its trimmed string, {@code index} int, text columns
     * string, {@code follower_count} bigint, {@code downloaded} boolean, {@code kafka_partition} int,
     * {@code kafka_offset} bigint, {@code ingested_at} and {@code processed_at} timestamp), with
     * {@code processed_at} = {@code current_timestamp()}.
     *
     * <p>Input shape: every field of {@link PinSchema#RAW} that is a contract field, as a top-level
     * string column under its JSON name ({@code index}, {@code unique_id}, … {@code save_location}),
     * plus the lineage as top-level columns {@code kafka_partition} (int), {@code kafka_offset}
     * (bigint) and {@code ingested_at} (timestamp). Other columns (e.g. {@code _kafka},
     * {@code _corrupt_record}) are ignored. The batch job takes the lineage from {@code _kafka}, the
     * stream job from the Kafka record.
     */
    public static Dataset<Row> clean(Dataset<Row> raw) {
        // Trim every field once in its own projection: the rules refer to their input several times,
        // and Spark keeps a projection of non-trivial expressions apart instead of inlining it into
        // each reference. That keeps the generated code small enough for the JIT (HotSpot does not
        // compile a method over 8000 bytes, and one big projection of the seven rules exceeded it).
        List<Column> trimmed = new ArrayList<>();
        for (String field : PinFields.ALL) {
            trimmed.add(trim(col(field)).as(field));
        }
        trimmed.add(col(KAFKA_PARTITION).cast(DataTypes.IntegerType).as(KAFKA_PARTITION));
        trimmed.add(col(KAFKA_OFFSET).cast(DataTypes.LongType).as(KAFKA_OFFSET));
        trimmed.add(col(INGESTED_AT).cast(DataTypes.TimestampType).as(INGESTED_AT));
        return raw.select(trimmed.toArray(Column[]::new))
                .where(usable(PinColumns::col))
                .select(
                        col(PinFields.UNIQUE_ID).as("unique_id"),
                        indexOfTrimmed(col(PinFields.INDEX)).as("index"),
                        col(PinFields.CATEGORY).as("category"),
                        textOfTrimmed(TextRule.TITLE, col(PinFields.TITLE)).as("title"),
                        textOfTrimmed(TextRule.DESCRIPTION, col(PinFields.DESCRIPTION)).as("description"),
                        textOfTrimmed(TextRule.TAG_LIST, col(PinFields.TAG_LIST)).as("tag_list"),
                        followerCountOfTrimmed(col(PinFields.FOLLOWER_COUNT)).as("follower_count"),
                        downloadedOfTrimmed(col(PinFields.DOWNLOADED)).as("downloaded"),
                        col(PinFields.IS_IMAGE_OR_VIDEO).as("is_image_or_video"),
                        textOfTrimmed(TextRule.IMAGE_SRC, col(PinFields.IMAGE_SRC)).as("image_src"),
                        textOfTrimmed(TextRule.SAVE_LOCATION, col(PinFields.SAVE_LOCATION)).as("save_location"),
                        col(KAFKA_PARTITION),
                        col(KAFKA_OFFSET),
                        col(INGESTED_AT),
                        current_timestamp().as(PROCESSED_AT));
    }

    private static Column col(String name) {
        return functions.col(name);
    }

    private static Column usable(Function<String, Column> trimmedField) {
        Column uniqueId = trimmedField.apply(PinFields.UNIQUE_ID).rlike(PinValidator.UUID_REGEX);
        Column category = trimmedField.apply(PinFields.CATEGORY).notEqual(lit(""));
        return coalesce(indexOfTrimmed(trimmedField.apply(PinFields.INDEX)).isNotNull().and(uniqueId).and(category), lit(false));
    }

    /**
     * Rule 1 on trimmed text. A text that is not plain digits and does not match the suffixed form
     * extracts "" everywhere, which try_cast turns into null, so no separate guard is needed.
     */
    private static Column followerCountOfTrimmed(Column text) {
        Column number = regexp_extract(text, FollowerCountRule.SUFFIXED_REGEX, FollowerCountRule.SUFFIXED_NUMBER_GROUP);
        Column suffix = regexp_extract(text, FollowerCountRule.SUFFIXED_REGEX, FollowerCountRule.SUFFIXED_SUFFIX_GROUP);
        Column exactNumber = regexp_extract(number, NUMBER_PREFIX_REGEX, 0).try_cast(NUMBER_TYPE);
        Column suffixed = round(try_multiply(exactNumber, try_element_at(MULTIPLIERS, suffix)), 0).try_cast(DataTypes.LongType);
        return when(text.rlike(FollowerCountRule.DIGITS_REGEX), text.try_cast(DataTypes.LongType)).otherwise(suffixed);
    }

    private static Column downloadedOfTrimmed(Column text) {
        return when(text.equalTo(lit(DownloadedRule.TRUE_TEXT)), lit(true))
                .when(text.equalTo(lit(DownloadedRule.FALSE_TEXT)), lit(false));
    }

    private static Column textOfTrimmed(TextRule rule, Column text) {
        Column value = text;
        String prefix = rule.strippedPrefix();
        if (prefix != null) {
            // substring, not a regex, so the prefix is taken literally
            value = when(text.startsWith(prefix), trim(substring(text, prefix.length() + 1, Integer.MAX_VALUE)))
                    .otherwise(text);
        }
        Column empty = value.equalTo(lit(""));
        if (!rule.placeholders().isEmpty()) {
            empty = empty.or(text.isin(rule.placeholders().toArray()));
        }
        return when(empty, lit(null).cast(DataTypes.StringType)).otherwise(value);
    }

    /** The trimmed {@code index} as an int, or null when it is not plain digits fitting an int. */
    private static Column indexOfTrimmed(Column text) {
        return when(text.rlike(INDEX_REGEX), text.try_cast(DataTypes.IntegerType));
    }

    private static String whitespace() {
        Pattern edge = Pattern.compile(Text.EDGE_WHITESPACE_REGEX);
        StringBuilder chars = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (edge.matcher(String.valueOf(c)).matches()) {
                chars.append(c);
            }
        }
        return chars.toString();
    }

    /** {@link FollowerCountRule#MULTIPLIERS} as a map literal: suffix → factor as decimal(10,0). */
    private static Column multipliers() {
        List<Column> entries = new ArrayList<>();
        FollowerCountRule.MULTIPLIERS.forEach((suffix, factor) -> {
            entries.add(lit(suffix));
            entries.add(lit(factor).cast(MULTIPLIER_TYPE));
        });
        return map(entries.toArray(Column[]::new));
    }
}
