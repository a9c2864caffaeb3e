package dev.pinpipe.core.config;

import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Picocli's defaults from the catalogue: an option whose {@code descriptionKey} is a setting's variable
 * (e.g. {@code PINPIPE_TOPIC}) defaults to that variable's value, else the catalogue's default, so a
 * flag wins over the variable and no main repeats a default. Secrets are never defaults of a flag.
 */
public final class CatalogueDefaults implements CommandLine.IDefaultValueProvider {

    private static final String PREFIX = "PINPIPE_";

    private final Function<String, String> env;

    public CatalogueDefaults() {
        this(System::getenv);
    }

    public CatalogueDefaults(Map<String, String> env) {
        this(env::get);
    }

    public CatalogueDefaults(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec spec) {
        // other keys are picocli's own (mixinStandardHelpOptions' --help/--version) or a resource bundle's
        if (!(spec instanceof OptionSpec option) || option.descriptionKey() == null || !option.descriptionKey().startsWith(PREFIX)) {
            return null;
        }
        Setting setting = Settings.named(option.descriptionKey());
        if (setting.secret()) {
            throw new IllegalStateException(option.longestName() + ": a secret is never a flag (" + setting.variable() + ")");
        }
        String value = setting.value(env);
        return value.isEmpty() ? null : value;
    }
}
