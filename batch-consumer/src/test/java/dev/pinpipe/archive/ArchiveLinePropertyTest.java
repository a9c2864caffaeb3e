package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.HostilePins;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The archive line of generated valid pins (pin-core's {@link HostilePins}, some with a posted
 * {@code _kafka} of their own): one line of strict JSON holding exactly the canonical pin's fields
 * plus the lineage, which pin-core's {@link ArchiveLineFormat} (the readers' definition) reads back,
 * and the pin in it is still the same canonical pin.
 */
class ArchiveLinePropertyTest {

    @Property(tries = 1000)
    void theLineIsTheCanonicalPinPlusLineage(@ForAll("validPins") PinValidation pin,
            @ForAll @IntRange(min = 0, max = 1 << 20) int partition, @ForAll @LongRange(min = 0) long offset,
            @ForAll long timestamp) throws Exception {
        byte[] expected = ArchiveLine.pin(pin.canonical());
        BodyBuffer out = new BodyBuffer(16);
        ArchiveLine.append(out, expected, partition, offset, timestamp);
        byte[] line = out.toByteArray();

        // one line: the only raw line break is the last byte
        assertThat(line[line.length - 1]).isEqualTo((byte) ArchiveLineFormat.LINE_END);
        for (int i = 0; i < line.length - 1; i++) {
            assertThat(line[i] == '\n' || line[i] == '\r').as("raw line break at %d", i).isFalse();
        }
        byte[] json = Arrays.copyOf(line, line.length - 1);

        // strict JSON (no duplicate keys): the canonical pin's fields in order, then the lineage
        JsonNode node = PinJson.parse(json);
        JsonNode canonical = PinJson.parse(pin.canonical());
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        List<String> expectedNames = new ArrayList<>();
        canonical.fieldNames().forEachRemaining(name -> {
            if (!name.equals(ArchiveLineFormat.LINEAGE)) {
                expectedNames.add(name);
            }
        });
        expectedNames.add(ArchiveLineFormat.LINEAGE);
        assertThat(names).isEqualTo(expectedNames);
        for (String name : expectedNames.subList(0, expectedNames.size() - 1)) {
            assertThat(node.get(name)).as(name).isEqualTo(canonical.get(name));
        }
        List<String> members = new ArrayList<>();
        node.get(ArchiveLineFormat.LINEAGE).fieldNames().forEachRemaining(members::add);
        assertThat(members).isEqualTo(ArchiveLineFormat.LINEAGE_MEMBERS);
        assertThat(ArchiveLineFormat.lineage(node)).isEqualTo(new ArchiveLineFormat.Lineage(partition, offset, timestamp));

        // the line's pin validates to the same canonical bytes, and the whole line is a canonical pin too
        PinValidation again = PinValidator.validate(ArchiveLine.withoutLineage(json));
        assertThat(again.errors()).isEmpty();
        assertThat(again.canonical()).isEqualTo(expected);
        assertThat(again.pin()).isEqualTo(pin.pin());
        assertThat(PinValidator.validate(json).canonical()).isEqualTo(json);
        Statistics.collect(expected.length == pin.canonical().length ? "as canonical" : "posted _kafka dropped");
    }

    @Provide
    Arbitrary<PinValidation> validPins() {
        Arbitrary<String> ownLineage = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, HostilePins.textValue().map(value -> "\"" + ArchiveLineFormat.LINEAGE + "\":" + value)));
        return Combinators.combine(HostilePins.pinJson(), ownLineage, Arbitraries.of("UTF-8", "UTF-8+BOM"))
                .as((json, lineage, encoding) -> {
                    String body = lineage.isEmpty() || !json.startsWith("{") ? json
                            : "{" + lineage + (json.equals("{}") ? "" : ",") + json.substring(1);
                    return PinValidator.validate(HostilePins.encode(body, encoding));
                })
                .filter(PinValidation::isValid);
    }
}
