package dev.pinpipe.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The one table of cases for the seven rules: every example of docs/pin-contract.md §2 plus the
 * edges (null, blank, wrong type, overflow). The plain-Java tests here and the Spark-form tests in
 * pin-spark both read it, so the two forms are checked on the same inputs.
 *
 * <p>{@code raw} is the JSON text a rule receives (what Spark's JSON reader puts in a string
 * column): the integer {@code 300} is {@code "300"}, the boolean {@code true} is {@code "true"}.
 */
public final class RuleCases {

    public record Case(String rule, String raw, Object expected) {
        @Override
        public String toString() {
            return rule + ": " + (raw == null ? "null" : '"' + raw.replace("\t", "\\t").replace("\n", "\\n") + '"')
                    + " -> " + expected;
        }
    }

    public static final String FOLLOWER_COUNT = FollowerCountRule.COLUMN;
    public static final String DOWNLOADED = DownloadedRule.COLUMN;

    public static List<Case> followerCount() {
        return List.of(
                c(FOLLOWER_COUNT, "437", 437L),
                c(FOLLOWER_COUNT, "51k", 51_000L),
                c(FOLLOWER_COUNT, "2M", 2_000_000L),
                c(FOLLOWER_COUNT, "1.5k", 1_500L),
                c(FOLLOWER_COUNT, "1.25M", 1_250_000L),
                c(FOLLOWER_COUNT, " 12k ", 12_000L),
                c(FOLLOWER_COUNT, "User Info Error", null),
                c(FOLLOWER_COUNT, "", null),
                c(FOLLOWER_COUNT, "   ", null),
                c(FOLLOWER_COUNT, null, null),
                c(FOLLOWER_COUNT, "-5", null),
                c(FOLLOWER_COUNT, "12kk", null),
                c(FOLLOWER_COUNT, "2.5", null),
                c(FOLLOWER_COUNT, "1.0005k", 1_001L),
                c(FOLLOWER_COUNT, "1.0004k", 1_000L),
                c(FOLLOWER_COUNT, "300", 300L),
                c(FOLLOWER_COUNT, "0", 0L),
                c(FOLLOWER_COUNT, "007", 7L),
                c(FOLLOWER_COUNT, "3B", 3_000_000_000L),
                c(FOLLOWER_COUNT, "4K", 4_000L),
                c(FOLLOWER_COUNT, "2m", null),
                c(FOLLOWER_COUNT, "1.5 k", null),
                c(FOLLOWER_COUNT, "k", null),
                c(FOLLOWER_COUNT, ".5k", null),
                c(FOLLOWER_COUNT, "1,000", null),
                c(FOLLOWER_COUNT, "\t8.68M\n", 8_680_000L),
                c(FOLLOWER_COUNT, "9223372036854775807", Long.MAX_VALUE),
                c(FOLLOWER_COUNT, "9223372036854775808", null),
                c(FOLLOWER_COUNT, "99999999999999999999999999999999999999999", null),
                c(FOLLOWER_COUNT, "9223372036854775.807k", Long.MAX_VALUE),
                c(FOLLOWER_COUNT, "9300000000B", null),
                c(FOLLOWER_COUNT, "1.0", null),
                c(FOLLOWER_COUNT, "true", null),
                c(FOLLOWER_COUNT, "{\"n\":1}", null));
    }

    public static List<Case> downloaded() {
        return List.of(
                c(DOWNLOADED, "1", true),
                c(DOWNLOADED, "0", false),
                c(DOWNLOADED, " 1 ", true),
                c(DOWNLOADED, "2", null),
                c(DOWNLOADED, "-1", null),
                c(DOWNLOADED, null, null),
                c(DOWNLOADED, "", null),
                c(DOWNLOADED, "true", null),
                c(DOWNLOADED, "false", null),
                c(DOWNLOADED, "1.0", null),
                c(DOWNLOADED, "yes", null),
                c(DOWNLOADED, "01", null));
    }

    public static List<Case> text() {
        List<Case> cases = new ArrayList<>();
        for (TextRule rule : TextRule.values()) {
            String r = rule.name();
            cases.add(c(r, null, null));
            cases.add(c(r, "", null));
            cases.add(c(r, " \t\n ", null));
            cases.add(c(r, "  Home space  ", "Home space"));
            cases.add(c(r, "5", "5"));
            for (String placeholder : rule.placeholders()) {
                cases.add(c(r, placeholder, null));
                cases.add(c(r, " " + placeholder + " ", null));
                cases.add(c(r, placeholder.toUpperCase(), placeholder.toUpperCase()));
                cases.add(c(r, placeholder + "!", placeholder + "!"));
            }
        }
        cases.add(c("TAG_LIST", "home,tips,for,design,space", "home,tips,for,design,space"));
        cases.add(c("TAG_LIST", "N,o,T,a,g,s", "N,o,T,a,g,s"));
        cases.add(c("TITLE", "No Title Data", "No Title Data"));
        cases.add(c("IMAGE_SRC", "https://i.pinimg.com/originals/4b6587d88ef464d1.jpg",
                "https://i.pinimg.com/originals/4b6587d88ef464d1.jpg"));
        cases.add(c("DESCRIPTION", "No description", "No description"));
        cases.add(c("SAVE_LOCATION", "Local save in /data/art", "/data/art"));
        cases.add(c("SAVE_LOCATION", "  Local save in /data/mens-fashion ", "/data/mens-fashion"));
        cases.add(c("SAVE_LOCATION", "Local save in    /data/quotes", "/data/quotes"));
        cases.add(c("SAVE_LOCATION", "Local save in  ", "Local save in"));
        cases.add(c("SAVE_LOCATION", "Local save in x", "x"));
        cases.add(c("SAVE_LOCATION", "local save in /data/art", "local save in /data/art"));
        cases.add(c("SAVE_LOCATION", "/data/art", "/data/art"));
        cases.add(c("SAVE_LOCATION", "Saved in Local save in /x", "Saved in Local save in /x"));
        return cases;
    }

    private static Case c(String rule, String raw, Object expected) {
        return new Case(rule, raw, expected);
    }

    private RuleCases() {
    }
}
