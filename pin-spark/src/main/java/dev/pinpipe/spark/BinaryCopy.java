package dev.pinpipe.spark;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.postgresql.copy.CopyIn;

/**
 * One {@code COPY … FROM STDIN WITH (FORMAT binary)}: rows are encoded straight into a byte buffer
 * that goes to the server every {@value #FLUSH_AT} bytes. Binary, not CSV, because neither side then
 * prints or parses text for a number, a uuid or a timestamp, and a Spark string's UTF-8 bytes are
 * copied as they are (no quoting, no escaping). The format: a fixed header, per row a 16-bit field count and per field a 32-bit length
 * (-1 for NULL) and the value in the type's binary send format, then a -1 trailer.
 */
final class BinaryCopy {

    /** The column types the pin tables use, by their PostgreSQL names. */
    enum PgType {
        UUID("uuid", DataTypes.StringType),
        TEXT("text", DataTypes.StringType),
        INT4("int4", DataTypes.IntegerType),
        INT8("int8", DataTypes.LongType),
        BOOL("bool", DataTypes.BooleanType),
        TIMESTAMPTZ("timestamptz", DataTypes.TimestampType);

        private final String pgName;
        /** The Spark type a clean row holds for such a column (what {@link #field(InternalRow, int, PgType)} reads). */
        final DataType sparkType;

        PgType(String pgName, DataType sparkType) {
            this.pgName = pgName;
            this.sparkType = sparkType;
        }

        static PgType of(String pgName, String column) {
            for (PgType type : values()) {
                if (type.pgName.equals(pgName)) {
                    return type;
                }
            }
            throw new IllegalStateException("column " + column + " has type " + pgName + ", which the binary COPY does not write");
        }
    }

    /** A value the binary format cannot encode (a clean row never holds one): a data error, not a failure of the writer. */
    static final class BadValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message);
        }
    }

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int FLUSH_AT = 1 << 16;
    /** PostgreSQL counts timestamps in microseconds from 2000-01-01 UTC, Spark and Java from 1970. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final CopyIn copy;
    private byte[] bytes = new byte[FLUSH_AT + 8192];
    private int size;

    BinaryCopy(CopyIn copy) {
        this.copy = copy;
        System.arraycopy(HEADER, 0, bytes, 0, HEADER.length);
        size = HEADER.length;
    }

    /** Starts a row of {@code fields} fields; sends the buffer first when it is full. */
    void row(int fields) throws SQLException {
        if (size >= FLUSH_AT) {
            copy.writeToCopy(bytes, 0, size);
            size = 0;
        }
        room(2);
        bytes[size++] = (byte) (fields >>> 8);
        bytes[size++] = (byte) fields;
    }

    /** Field {@code ordinal} of a Spark row of the matching type ({@link PgType#sparkType}). */
    void field(InternalRow row, int ordinal, PgType type) {
        if (row.isNullAt(ordinal)) {
            nullField();
            return;
        }
        switch (type) {
            case UUID -> uuid(row.getUTF8String(ordinal));
            case TEXT -> text(row.getUTF8String(ordinal));
            case INT4 -> int4(row.getInt(ordinal));
            case INT8 -> int8(row.getLong(ordinal));
            case BOOL -> bool(row.getBoolean(ordinal));
            case TIMESTAMPTZ -> int8(row.getLong(ordinal) - POSTGRES_EPOCH_MICROS); // Spark: µs since 1970 UTC
        }
    }

    /** Field {@code position} of an external row ({@code String}, {@code Number}, {@code Boolean}, a timestamp). */
    void field(Row row, int position, PgType type) {
        Object value = row.get(position);
        if (value == null) {
            nullField();
            return;
        }
        switch (type) {
            case UUID -> uuid(UTF8String.fromString(value.toString()));
            case TEXT -> text(UTF8String.fromString(value.toString()));
            case INT4 -> int4(((Number) value).intValue());
            case INT8 -> int8(((Number) value).longValue());
            case BOOL -> bool((Boolean) value);
            case TIMESTAMPTZ -> int8(epochMicros(value) - POSTGRES_EPOCH_MICROS);
        }
    }

    /** Sends the trailer and ends the COPY; returns the rows the server took. */
    long finish() throws SQLException {
        room(2);
        bytes[size++] = (byte) 0xFF;
        bytes[size++] = (byte) 0xFF;
        copy.writeToCopy(bytes, 0, size);
        size = 0;
        return copy.endCopy();
    }

    private void nullField() {
        room(4);
        putInt(-1);
    }

    /**
     * A text value's UTF-8 bytes as they are. A NUL char is not removed: {@link PinColumns#reason}
     * rejects a pin holding one before it gets here, and PostgreSQL refuses one that slips through
     * (a data error the writers answer by quarantining that row).
     */
    private void text(UTF8String value) {
        int n = value.numBytes();
        room(4 + n);
        putInt(n);
        value.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + size);
        size += n;
    }

    /** The 16 bytes of a UUID's canonical text (8-4-4-4-12 hex digits, either case; clean rows hold no other). */
    private void uuid(UTF8String value) {
        if (value.numBytes() != 36) {
            throw new BadValue("unique_id: not a UUID for PostgreSQL: " + shown(value));
        }
        room(20);
        putInt(16);
        int at = 0;
        for (int i = 0; i < 16; i++) {
            if (at == 8 || at == 13 || at == 18 || at == 23) {
                at++;
            }
            bytes[size++] = (byte) (hex(value, at) << 4 | hex(value, at + 1));
            at += 2;
        }
    }

    private static int hex(UTF8String value, int at) {
        byte b = value.getByte(at);
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        throw new BadValue("unique_id: not a UUID for PostgreSQL: " + shown(value));
    }

    /** At most 60 bytes of a value for a message. */
    private static String shown(UTF8String value) {
        return value.numBytes() <= 60 ? value.toString() : value.substring(0, 57).toString() + "...";
    }

    private void int4(int value) {
        room(8);
        putInt(4);
        putInt(value);
    }

    private void int8(long value) {
        room(12);
        putInt(8);
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void bool(boolean value) {
        room(5);
        putInt(1);
        bytes[size++] = (byte) (value ? 1 : 0);
    }

    private void putInt(int value) {
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    private static long epochMicros(Object value) {
        Instant instant;
        if (value instanceof Timestamp t) {
            instant = t.toInstant();
        } else if (value instanceof Instant t) {
            instant = t;
        } else if (value instanceof LocalDateTime t) {
            instant = t.toInstant(ZoneOffset.UTC);
        } else {
            throw new IllegalArgumentException("not a timestamp: " + value.getClass().getName());
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
