package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PinGeneratorTest {

    private static final int PINS = 5_000;

    @Test
    void sameSeedGivesTheSamePinsInAnyOrder() {
        PinGenerator first = new PinGenerator(100);
        PinGenerator second = new PinGenerator(100);
        List<String> forwards = LongStream.range(0, PINS).mapToObj(i -> new String(first.pin(i))).toList();
        List<String> backwards = new ArrayList<>(LongStream.range(0, PINS).map(i -> PINS - 1 - i)
                .mapToObj(i -> new String(second.pin(i))).toList());
        Collections.reverse(backwards);
        assertThat(backwards).isEqualTo(forwards);
    }

    @Test
    void anotherSeedGivesOtherPins() {
        assertThat(new PinGenerator(1).pin(0)).isNotEqualTo(new PinGenerator(2).pin(0));
    }

    @Test
    void everyGeneratedPinPassesValidationWithAUniqueId() {
        PinGenerator generator = new PinGenerator(7);
        Set<String> ids = new HashSet<>();
        for (long i = 0; i < PINS; i++) {
            PinValidation validation = PinValidator.validate(generator.pin(i));
            assertThat(validation.errors()).as("pin %d", i).isEmpty();
            ids.add(validation.pin().uniqueId().toString());
        }
        assertThat(ids).hasSize(PINS);
    }

    @Test
    void pinsCarryTheSeedsDirtyValuesAndAllThirteenCategories() throws Exception {
        PinGenerator generator = new PinGenerator(100);
        Set<String> categories = new HashSet<>();
        Set<String> titles = new HashSet<>();
        Set<String> descriptions = new HashSet<>();
        Set<String> followerCounts = new HashSet<>();
        Set<String> tagLists = new HashSet<>();
        Set<String> imageSources = new HashSet<>();
        boolean saveLocationMatchesCategory = true;
        for (long i = 0; i < PINS; i++) {
            JsonNode pin = PinJson.parse(generator.pin(i));
            String category = pin.get("category").textValue();
            categories.add(category);
            titles.add(pin.get("title").textValue());
            descriptions.add(pin.get("description").textValue());
            followerCounts.add(pin.get("follower_count").asText());
            tagLists.add(pin.get("tag_list").textValue());
            imageSources.add(pin.get("image_src").textValue());
            JsonNode save = pin.get("save_location");
            saveLocationMatchesCategory &= save.isNull() || save.textValue().equals("Local save in /data/" + category);
        }
        assertThat(categories).containsExactlyInAnyOrderElementsOf(PinGenerator.CATEGORIES).hasSize(13);
        assertThat(titles).contains("No Title Data Available", "  ");
        assertThat(descriptions).contains("No description available", "No description available Story format");
        assertThat(followerCounts).contains("User Info Error", "")
                .anyMatch(c -> c.matches("\\d+k"))
                .anyMatch(c -> c.matches("\\d+\\.\\d+k"))
                .anyMatch(c -> c.matches("\\d+M"))
                .anyMatch(c -> c.matches("\\d+"));
        assertThat(tagLists).contains("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e");
        assertThat(imageSources).contains("Image src error.");
        assertThat(saveLocationMatchesCategory).isTrue();
    }

    @Test
    void pinsFollowTheSampleDataFieldOrder() throws Exception {
        JsonNode pin = PinJson.parse(new PinGenerator(3).pin(0));
        assertThat(pin.fieldNames()).toIterable().containsExactly("index", "unique_id", "title", "description",
                "poster_name", "follower_count", "tag_list", "is_image_or_video", "image_src", "downloaded",
                "save_location", "category");
    }
}
