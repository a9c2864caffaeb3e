package dev.pinpipe.core.config;

import dev.pinpipe.core.Secrets;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of the pipeline: the environment variable every process reads for it, its local default
 * and a line of documentation. Declared once, in {@link Settings}.
 *
 * @param variable     the environment variable, {@code PINPIPE_…}
 * @param defaultValue the local default; may name other settings as {@code ${PINPIPE_…}}, which resolve
 *                     against the same environment; empty when the setting has none (unset)
 * @param doc          one line for docs/configuration.md
 * @param readBy       which processes read it
 * @param secret       never printed; comes from the variable or the file its {@code _FILE} variable names
 */
public record Setting(String variable, String defaultValue, String doc, String readBy, boolean secret) {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(PINPIPE_[A-Z0-9_]+)}");

    public Setting {
        if (!variable.matches("PINPIPE_[A-Z0-9_]+")) {
            throw new IllegalArgumentException("not a PINPIPE_* variable: " + variable);
        }
    }

    /** The property key Spring and picocli know it by: {@code PINPIPE_API_PORT} → {@code pinpipe.api-port}. */
    public String key() {
        return "pinpipe." + variable.substring("PINPIPE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value in {@code env}: the variable when set and not blank, else the default with its references resolved. */
    public String value(Function<String, String> env) {
        String set = env.apply(variable);
        return set != null && !set.isBlank() ? set : resolve(defaultValue, env);
    }

    /**
     * A secret's value: the variable, or the file its {@code _FILE} variable names (not both), else the default.
     *
     * @throws IllegalArgumentException both set, or the file unreadable
     */
    public String secretValue(Function<String, String> env) {
        String resolved = Secrets.resolve(variable, env.apply(variable), env.apply(variable + Secrets.FILE_SUFFIX));
        return resolved != null ? resolved : resolve(defaultValue, env);
    }

    /** The value as an int; a message naming the variable when it is not one. */
    public int intValue(Function<String, String> env) {
        String text = value(env).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + ": '" + text + "' is not a whole number");
        }
    }

    /** True when the setting has a value in {@code env} or a default. */
    public boolean isSet(Function<String, String> env) {
        return !value(env).isEmpty();
    }

    /** The default as the docs show it: references replaced by their own defaults. */
    public String localDefault() {
        return resolve(defaultValue, v -> null);
    }

    private static String resolve(String text, Function<String, String> env) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(Settings.named(m.group(1)).value(env)));
        }
        return m.appendTail(out).toString();
    }

    @Override
    public String toString() {
        return variable;
    }
}
