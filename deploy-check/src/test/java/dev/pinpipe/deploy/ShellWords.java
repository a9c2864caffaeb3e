package dev.pinpipe.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A simple shell command line split into words as sh splits it: single and double quotes,
 * backslashes, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} expanded from an environment
 * (unset: empty, as sh does). Enough for health checks and Dockerfile ENV lines; no globbing, no
 * command substitution.
 */
final class ShellWords {

    private ShellWords() {
    }

    static List<String> split(String line, Map<String, String> env) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '$' && i + 1 < line.length()) {
                i = expand(line, i, env, word);
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new AssertionError("unbalanced " + quote + " in: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the value of the variable that starts at {@code dollar}; returns the index of its last character. */
    private static int expand(String line, int dollar, Map<String, String> env, StringBuilder into) {
        int i = dollar + 1;
        if (line.charAt(i) == '{') {
            int end = line.indexOf('}', i);
            if (end < 0) {
                throw new AssertionError("unclosed ${ in: " + line);
            }
            String body = line.substring(i + 1, end);
            int colonDash = body.indexOf(":-");
            int dash = body.indexOf('-');
            String name = colonDash > 0 ? body.substring(0, colonDash) : dash > 0 ? body.substring(0, dash) : body;
            String value = env.get(name);
            if (colonDash > 0 && (value == null || value.isEmpty())) {
                value = body.substring(colonDash + 2);
            } else if (colonDash < 0 && dash > 0 && value == null) {
                value = body.substring(dash + 1);
            }
            into.append(value == null ? "" : value);
            return end;
        }
        int end = i;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
            end++;
        }
        if (end == i) {
            into.append('$');
            return dollar;
        }
        String value = env.get(line.substring(i, end));
        into.append(value == null ? "" : value);
        return end - 1;
    }
}
