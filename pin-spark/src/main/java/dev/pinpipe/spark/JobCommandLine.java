package dev.pinpipe.spark;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The Spark jobs' command line, through picocli. An option's {@code descriptionKey} names its setting
 * in the catalogue: its default is that variable's value, else the catalogue's default, a flag winning
 * over both ({@link CatalogueDefaults}), and its help line is the catalogue's doc with the variable and
 * the default. A secret is never a flag: a secret's flag ({@code --db-password}, …) is refused naming
 * its variables, its value never echoed. A bad flag or value is a usage error naming it.
 */
public final class JobCommandLine {

    static final String ENVIRONMENT_SECTION = "environmentOnly";

    /** A job's picocli options, turned into its immutable settings once parsed. */
    public interface Options<T> {

        /**
         * The settings from the parsed options, and from {@code env} what has no flag (secrets above all).
         *
         * @throws IllegalArgumentException a bad value or combination, the message naming it
         */
        T settings(Map<String, String> env);

        /** Settings the job reads from the environment alone, listed in the help. */
        default List<Setting> environmentOnly() {
            return List.of();
        }
    }

    /** What a job does with its settings. */
    @FunctionalInterface
    public interface Job<T> {
        /** @return the exit status */
        int run(T settings) throws Exception;
    }

    private JobCommandLine() {
    }

    /** The options' command line over {@code env}: catalogue defaults and docs, secrets' flags refused. */
    public static CommandLine of(Options<?> options, Map<String, String> env) {
        CommandLine cl = new CommandLine(options).setDefaultValueProvider(new CatalogueDefaults(env::get));
        CommandSpec spec = cl.getCommandSpec();
        spec.resourceBundle(new CatalogueDocs());
        // wide enough for a JDBC URL or an s3a:// path on one line
        spec.usageMessage().showDefaultValues(true).width(100).longOptionsMaxWidth(32);
        for (Setting secret : Settings.all()) {
            if (secret.secret()) {
                spec.addOption(refused(flagOf(secret), secret));
            }
        }
        if (!options.environmentOnly().isEmpty()) {
            List<String> keys = new java.util.ArrayList<>(cl.getHelpSectionKeys());
            keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), ENVIRONMENT_SECTION);
            cl.setHelpSectionKeys(keys);
            cl.getHelpSectionMap().put(ENVIRONMENT_SECTION, help -> environmentSection(help, options.environmentOnly(), env));
        }
        return cl;
    }

    /**
     * The settings {@code argv} and {@code env} give; null for {@code --help} (see {@link #run}).
     *
     * @throws ParameterException a usage error: an unknown or refused flag, a bad value (naming the
     *                            variable when the value came from it), a combination the settings refuse
     */
    public static <T> T parse(Options<T> options, String[] argv, Map<String, String> env) {
        return settings(of(options, env), options, argv, env);
    }

    /**
     * Runs {@code job} with the settings. Prints the usage for {@code --help} (exit 0), and for a usage
     * error its message with a pointer to {@code --help} (exit 2); else the job's exit status.
     */
    public static <T> int run(Options<T> options, String[] argv, Map<String, String> env, PrintStream out, PrintStream err,
                              Job<T> job) throws Exception {
        CommandLine cl = of(options, env);
        CommandSpec spec = cl.getCommandSpec();
        T settings = null;
        try {
            settings = settings(cl, options, argv, env);
        } catch (ParameterException e) {
            if (!helpAsked(spec, argv)) { // --help still works when a variable holds a bad value
                err.println(spec.name() + ": " + e.getMessage());
                UnmatchedArgumentException.printSuggestions(e, err);
                err.println("See '" + spec.name() + " --help' for the options.");
                return spec.exitCodeOnInvalidInput();
            }
        }
        if (settings == null) { // --help
            cl.usage(out);
            return spec.exitCodeOnUsageHelp();
        }
        return job.run(settings);
    }

    /** The flag a secret would have: {@code PINPIPE_DB_PASSWORD} → {@code --db-password}. */
    static String flagOf(Setting setting) {
        return "--" + setting.key().substring("pinpipe.".length());
    }

    /** Why a secret's flag is refused: the value would be visible to every user in {@code ps}. */
    static String refusal(String flag, Setting secret) {
        return flag + " is not accepted (a command line is visible to every user of the machine): set "
                + secret.variable() + " or " + secret.variable() + Secrets.FILE_SUFFIX + " instead";
    }

    private static <T> T settings(CommandLine cl, Options<T> options, String[] argv, Map<String, String> env) {
        try {
            cl.parseArgs(argv);
        } catch (ParameterException e) {
            throw fromVariable(e, argv);
        }
        if (cl.isUsageHelpRequested()) {
            return null;
        }
        try {
            return options.settings(env);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage(), e);
        }
    }

    /** A bad value that came from the option's variable, not from the command line, says so. */
    private static ParameterException fromVariable(ParameterException e, String[] argv) {
        if (!(e.getArgSpec() instanceof OptionSpec option) || option.descriptionKey().isEmpty() || given(option, argv)) {
            return e;
        }
        return new ParameterException(e.getCommandLine(), e.getMessage() + " (from " + option.descriptionKey() + ")", e,
                option, e.getValue());
    }

    private static boolean given(OptionSpec option, String[] argv) {
        for (String arg : argv) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean helpAsked(CommandSpec spec, String[] argv) {
        return spec.options().stream().filter(OptionSpec::usageHelp).anyMatch(help -> given(help, argv));
    }

    /** A hidden option whose only effect is the refusal: picocli hands it no value, so none is echoed. */
    private static OptionSpec refused(String flag, Setting secret) {
        return OptionSpec.builder(flag).hidden(true).arity("0..1").type(String.class).descriptionKey("")
                .parameterConsumer((args, argSpec, commandSpec) -> {
                    throw new ParameterException(commandSpec.commandLine(), refusal(flag, secret));
                })
                .build();
    }

    /** "Only from the environment": each setting with its doc, and its value unless a secret. */
    private static String environmentSection(Help help, List<Setting> settings, Map<String, String> env) {
        int nameWidth = settings.stream().mapToInt(s -> s.variable().length()).max().orElse(0) + 4;
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN),
                new Help.Column(help.commandSpec().usageMessage().width() - nameWidth, 0, Help.Column.Overflow.WRAP));
        for (Setting s : settings) {
            String value = s.secret() ? "" : s.value(env::get);
            table.addRowValues(s.variable(), CatalogueDocs.plain(s));
            table.addRowValues("", s.secret() ? "  a secret: never a flag" : value.isEmpty() ? "  unset" : "  Default: " + value);
        }
        return help.createHeading("%nOnly from the environment:%n") + table;
    }

    /** Each setting's help text: the catalogue's doc, without its Markdown, then the variable. */
    static final class CatalogueDocs extends ResourceBundle {

        @Override
        protected Object handleGetObject(String key) {
            return Settings.all().stream().filter(s -> s.variable().equals(key)).findFirst()
                    .map(s -> plain(s).replace("%", "%%") + "%n  Variable: " + key).orElse(null);
        }

        @Override
        public Enumeration<String> getKeys() {
            return Collections.enumeration(Settings.all().stream().map(Setting::variable).toList());
        }

        /** The doc without backticks, a link shown as its text. */
        static String plain(Setting setting) {
            return setting.doc().replace("`", "").replaceAll("\\[([^]]+)]\\([^)]*\\)", "$1");
        }
    }
}
