package dev.pinpipe.spark;

import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinFields;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The explicit Spark schema of a raw pin (never inferred).
 *
 * <p>Every contract field is a string column on purpose: Spark's JSON reader puts the JSON text of a
 * non-string scalar into a string column ({@code "downloaded": 1} arrives as {@code "1"}), which is
 * exactly the input the rules expect (pin-core's {@code PinJson.text}). Typing a column here would
 * make a dirty value fail the whole record instead of being cleaned by its rule.
 */
public final class PinSchema {

    /** Where Spark's PERMISSIVE JSON mode puts a line it cannot parse (see {@link #RAW_WITH_CORRUPT_RECORD}). */
    public static final String CORRUPT_RECORD = "_corrupt_record";

    /** The lineage object the archiver appends to every archived line ({@link ArchiveLineFormat#LINEAGE}). */
    public static final StructType KAFKA_LINEAGE = new StructType()
            .add(ArchiveLineFormat.PARTITION, DataTypes.IntegerType)
            .add(ArchiveLineFormat.OFFSET, DataTypes.LongType)
            .add(ArchiveLineFormat.TIMESTAMP, DataTypes.LongType);

    /** Every contract field as a string, in the contract's order, then {@code _kafka} (null when absent). */
    public static final StructType RAW = raw();

    /**
     * {@link #RAW} plus {@link #CORRUPT_RECORD}: read with {@code mode=PERMISSIVE} and
     * {@code columnNameOfCorruptRecord=_corrupt_record} to keep and count lines that are not JSON.
     */
    public static final StructType RAW_WITH_CORRUPT_RECORD = RAW.add(CORRUPT_RECORD, DataTypes.StringType);

    private PinSchema() {
    }

    private static StructType raw() {
        List<StructField> fields = new ArrayList<>();
        for (String field : PinFields.ALL) {
            fields.add(DataTypes.createStructField(field, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField(ArchiveLineFormat.LINEAGE, KAFKA_LINEAGE, true));
        return DataTypes.createStructType(fields);
    }
}
