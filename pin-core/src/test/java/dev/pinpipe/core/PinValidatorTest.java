package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinValidatorTest {

    private static final String GOOD = """
            {"index": 7, "unique_id": "c5521660-f3a3-4571-b476-189975a3adb3", "category": "quotes",
             "title": "No Title Data Available", "follower_count": "1.5k", "downloaded": 1,
             "poster_name": "User Info Error", "save_location": "Local save in /data/quotes"}""";

    private static PinValidation validate(String json) {
        return PinValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> fields(PinValidation v) {
        return v.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsDirtyValuesOfTheRightTypeAndIgnoresUnknownFields() {
        PinValidation v = validate(GOOD);
        assertThat(v.isValid()).isTrue();
        assertThat(v.pin()).isEqualTo(new Pin(7, UUID.fromString("c5521660-f3a3-4571-b476-189975a3adb3"), "quotes",
                "No Title Data Available", null, "1.5k", null, null, null, "1", "Local save in /data/quotes"));
    }

    @Test
    void acceptsIntegerFollowerCountAndStringDownloaded() {
        PinValidation v = validate("{\"index\":0,\"unique_id\":\"c5521660-f3a3-4571-b476-189975a3adb3\",\"category\":\"art\","
                + "\"follower_count\":300,\"downloaded\":\"0\"}");
        assertThat(v.errors()).isEmpty();
        assertThat(v.pin().followerCount()).isEqualTo("300");
        assertThat(v.pin().downloaded()).isEqualTo("0");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        PinValidation v = validate("{\"index\": \"seven\", \"unique_id\": \"not-a-uuid\", \"title\": 5, \"downloaded\": true,"
                + " \"follower_count\": 1.5, \"tag_list\": [\"a\"]}");
        assertThat(v.isValid()).isFalse();
        assertThat(v.pin()).isNull();
        assertThat(fields(v)).containsExactlyInAnyOrder("index", "unique_id", "category", "title", "downloaded",
                "follower_count", "tag_list");
        assertThat(v.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}                        | index
            {"index":null,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}           | index
            {"index":-1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}             | index
            {"index":1.5,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}            | index
            {"index":99999999999,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}    | index
            {"index":"seven","unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}        | index
            {"index":1,"category":"a"}                                                                 | unique_id
            {"index":1,"unique_id":42,"category":"a"}                                                  | unique_id
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476","category":"a"}                           | unique_id
            {"index":1,"unique_id":"1-2-3-4-5","category":"a"}                                         | unique_id
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3"}                             | category
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"  "}             | category
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":["a"]}            | category
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a","title":false} | title
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a","image_src":{}} | image_src
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a","downloaded":1.0} | downloaded
            not json                                                                                   | body
            [1,2]                                                                                      | body
            "a string"                                                                                 | body
            {"index":1,"index":2,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}    | body
            {"index":1,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"} trailing      | body
            {"index":1e99999999999,"unique_id":"c5521660-f3a3-4571-b476-189975a3adb3","category":"a"}  | index
            """)
    void namesTheOffendingField(String body, String field) {
        PinValidation v = validate(body);
        assertThat(fields(v)).containsExactly(field);
    }

    @Test
    void emptyBodyIsReportedAsBody() {
        assertThat(fields(PinValidator.validate(new byte[0]))).containsExactly("body");
    }

    @Test
    void aLoneSurrogateInAnUnknownFieldIsReportedAsSuch() {
        PinValidation v = validate("{\"index\":1,\"unique_id\":\"c5521660-f3a3-4571-b476-189975a3adb3\",\"category\":\"a\","
                + "\"x\":\"\\ud800\",\"y\":1}");
        assertThat(v.errors()).extracting(FieldError::message).containsExactly("holds a lone surrogate (\\uD800), which is not Unicode text");
        assertThat(fields(v)).containsExactly("x");
    }
}
