package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PooledPinsTest {

    @Test
    void reusedPinsAreValidWithAFreshIdEachUse() {
        PooledPins pins = new PooledPins(new PinGenerator(4), 16, 4);
        Set<String> ids = new HashSet<>();
        for (long i = 0; i < 1000; i++) {
            PinValidation validation = PinValidator.validate(pins.pin(i));
            assertThat(validation.errors()).isEmpty();
            ids.add(validation.pin().uniqueId().toString());
        }
        assertThat(ids).hasSize(1000);
        assertThat(new PooledPins(new PinGenerator(5), 16, 5).pin(0)).isNotEqualTo(pins.pin(0));
    }
}
