package dev.pinpipe.core.rules;

import java.util.List;

/**
 * Rules 3–7: the five text columns whose seed placeholders mean "no value". Each trims its input,
 * maps a placeholder (exact, case-sensitive, after trimming) or a blank to null, and otherwise keeps
 * the trimmed text; {@code save_location} first drops the seed's {@code "Local save in "} prefix.
 */
public enum TextRule {
    TAG_LIST("tag_list", List.of("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"), null),
    TITLE("title", List.of("No Title Data Available"), null),
    IMAGE_SRC("image_src", List.of("Image src error."), null),
    SAVE_LOCATION("save_location", List.of(), "Local save in "),
    DESCRIPTION("description", List.of("No description available Story format", "No description available"), null);

    private final String column;
    private final List<String> placeholders;
    private final String strippedPrefix;

    TextRule(String column, List<String> placeholders, String strippedPrefix) {
        this.column = column;
        this.placeholders = placeholders;
        this.strippedPrefix = strippedPrefix;
    }

    /** The column (and JSON field) this rule cleans. */
    public String column() {
        return column;
    }

    /** Trimmed values that mean "no value". */
    public List<String> placeholders() {
        return placeholders;
    }

    /** A prefix removed from the trimmed value, or null. */
    public String strippedPrefix() {
        return strippedPrefix;
    }

    public String clean(String raw) {
        String text = Text.trim(raw);
        if (text == null || placeholders.contains(text)) {
            return null;
        }
        if (strippedPrefix != null && text.startsWith(strippedPrefix)) {
            text = Text.trim(text.substring(strippedPrefix.length()));
        }
        return text.isEmpty() ? null : text;
    }
}
