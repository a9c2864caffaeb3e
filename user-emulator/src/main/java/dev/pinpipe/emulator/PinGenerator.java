package dev.pinpipe.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes pins in the seed's shape, dirty values included (docs/pin-contract.md): placeholder titles and
 * descriptions, {@code "51k"}/{@code "1.5k"}/{@code "2M"}/{@code "User Info Error"} follower counts, the
 * {@code N,o, ,T,a,g,s…} tag list, {@code Image src error.}, {@code Local save in /data/<category>},
 * the seed's 13 categories and its extra {@code poster_name} field.
 *
 * <p>Pin {@code i} depends only on the seed and {@code i}, so any number of threads generate the same
 * pins in any order, and a run can be reproduced exactly.
 */
public final class PinGenerator implements PinSource {

    public static final List<String> CATEGORIES = List.of("art", "beauty", "christmas", "diy-and-crafts",
            "education", "event-planning", "finance", "home-decor", "mens-fashion", "quotes", "tattoos",
            "travel", "vehicles");
    static final String NO_TITLE = "No Title Data Available";
    static final String NO_DESCRIPTION = "No description available";
    static final String NO_DESCRIPTION_STORY = "No description available Story format";
    static final String USER_INFO_ERROR = "User Info Error";
    static final String NO_TAGS = "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e";
    static final String IMAGE_SRC_ERROR = "Image src error.";
    static final String SAVE_PREFIX = "Local save in /data/";

    private static final List<String> WORDS = List.of("gift", "diy", "best", "tattoo", "your", "space", "budget",
            "for", "design", "beauty", "home", "ideas", "the", "vintage", "art", "summer", "quotes", "tips",
            "travel", "christmas", "hacks", "small", "easy", "modern", "wedding", "outfit", "car", "money",
            "kids", "learning", "party", "decor", "winter", "hair", "makeup", "style");
    private static final List<String> POSTERS = List.of("Ideas & Inspiration", "Tastemade", "BuzzFeed",
            "Country Living Magazine", "The Mom Edit", "Savvy Budget Boss", "Fancy Ideas about Everything");
    private static final List<String> MEDIA = List.of("image", "image", "image", "video",
            "multi-video(story page format)");

    private final long seed;

    public PinGenerator(long seed) {
        this.seed = seed;
    }

    /** Unbounded: any index gives a pin. */
    @Override
    public long size() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] pin(long i) {
        try {
            return PinJson.MAPPER.writeValueAsBytes(fields(i));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pin {@code i} as an ordered map, in the seed's field order. */
    Map<String, Object> fields(long i) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String category = pick(random, CATEGORIES);
        Map<String, Object> pin = new LinkedHashMap<>();
        pin.put(PinFields.INDEX, (int) (i % Integer.MAX_VALUE));
        pin.put(PinFields.UNIQUE_ID, uuid(random).toString());
        pin.put(PinFields.TITLE, title(random));
        pin.put(PinFields.DESCRIPTION, description(random));
        pin.put("poster_name", random.nextInt(100) < 40 ? USER_INFO_ERROR : pick(random, POSTERS));
        pin.put(PinFields.FOLLOWER_COUNT, followerCount(random));
        pin.put(PinFields.TAG_LIST, random.nextInt(100) < 15 ? NO_TAGS : String.join(",", words(random, 1, 6)));
        pin.put(PinFields.IS_IMAGE_OR_VIDEO, pick(random, MEDIA));
        pin.put(PinFields.IMAGE_SRC, random.nextInt(100) < 6 ? IMAGE_SRC_ERROR
                : String.format("https://i.pinimg.com/originals/%016x.jpg", random.nextLong()));
        int downloaded = random.nextInt(100);
        pin.put(PinFields.DOWNLOADED, downloaded < 3 ? null : downloaded < 15 ? 0 : 1);
        pin.put(PinFields.SAVE_LOCATION, random.nextInt(100) < 5 ? null : SAVE_PREFIX + category);
        pin.put(PinFields.CATEGORY, category);
        return pin;
    }

    private static String title(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 15) {
            return NO_TITLE;
        }
        if (roll < 18) {
            return "  ";
        }
        return capitalised(words(random, 3, 8));
    }

    private static String description(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 8) {
            return NO_DESCRIPTION;
        }
        if (roll < 13) {
            return NO_DESCRIPTION_STORY;
        }
        return capitalised(words(random, 5, 16));
    }

    /** The seed's mix: error text, suffixed counts (some with decimals), plain digits, a few integers and blanks. */
    private static Object followerCount(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 10) {
            return USER_INFO_ERROR;
        }
        if (roll < 30) {
            return (1 + random.nextInt(999)) + "k";
        }
        if (roll < 36) {
            return (1 + random.nextInt(99)) + "." + (1 + random.nextInt(9)) + "k";
        }
        if (roll < 42) {
            return (1 + random.nextInt(20)) + "M";
        }
        if (roll < 45) {
            return (1 + random.nextInt(9)) + "." + (10 + random.nextInt(90)) + "M";
        }
        if (roll < 93) {
            return Integer.toString(random.nextInt(100_000));
        }
        if (roll < 98) {
            return random.nextInt(100_000);
        }
        return "";
    }

    private static List<String> words(SplittableRandom random, int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        String[] words = new String[n];
        for (int w = 0; w < n; w++) {
            words[w] = pick(random, WORDS);
        }
        return List.of(words);
    }

    private static String capitalised(List<String> words) {
        String text = String.join(" ", words);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static UUID uuid(SplittableRandom random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;                        // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb);
    }
}
