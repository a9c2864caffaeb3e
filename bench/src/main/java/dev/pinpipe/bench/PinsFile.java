package dev.pinpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bench/run's one input: generated pins as NDJSON, the same file for pinpipe and for the seed peer
 * (bench/seed-peer), so only pins the seed's API model accepts are written.
 */
@Command(name = "pins-file", mixinStandardHelpOptions = true,
        description = "Writes the first N generated pins (the user emulator's PinGenerator) that the seed's API model accepts, as NDJSON. "
                + "Prints one JSON line of statistics to stderr, with the share of pins on which the seed's follower-count UDF raises.")
public final class PinsFile implements Callable<Integer> {

    /** The seed's pydantic model: these fields, none null; index and downloaded integers, the rest strings. */
    private static final List<String> SEED_MODEL_INTEGERS = List.of(PinFields.INDEX, PinFields.DOWNLOADED);

    @Option(names = "--count", paramLabel = "N", required = true, description = "pins to write")
    long count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = BenchPins.DEFAULT_SEED, description = "the generator's seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the NDJSON file to write")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PinsFile()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchPins pins = new BenchPins(seed);
        long written = 0;
        long skipped = 0;
        long raising = 0;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            for (long i = 0; written < count; i++) {
                byte[] json = pins.pin(i).json();
                JsonNode pin = PinJson.parse(json);
                if (!seedModelAccepts(pin)) {
                    skipped++;
                    continue;
                }
                raising += seedUdfRaises(pin.get(PinFields.FOLLOWER_COUNT).textValue()) ? 1 : 0;
                file.write(json);
                file.write('\n');
                written++;
            }
        }
        System.err.printf(Locale.ROOT, "{\"pins\":%d,\"seed\":%d,\"out\":%s,\"skipped\":%d,\"seed_udf_raises_on\":%.4f}%n", written, seed,
                PinJson.MAPPER.writeValueAsString(out.toString()), skipped, (double) raising / Math.max(written, 1));
        return 0;
    }

    /** What the seed's API took: every contract field present and not null, the two integers integral, the rest strings. */
    static boolean seedModelAccepts(JsonNode pin) {
        return PinFields.ALL.stream().allMatch(field -> {
            JsonNode value = pin.get(field);
            return value != null && (SEED_MODEL_INTEGERS.contains(field) ? value.isIntegralNumber() : value.isTextual());
        });
    }

    /** Where the seed's follower-count UDF raised: an empty count, or a decimal before its k or M ("1.5k"). */
    static boolean seedUdfRaises(String count) {
        if (count.isEmpty()) {
            return true;
        }
        char unit = count.charAt(count.length() - 1);
        return !isDigits(count) && (unit == 'k' || unit == 'M') && !isDigits(count.substring(0, count.length() - 1));
    }

    private static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }
}
