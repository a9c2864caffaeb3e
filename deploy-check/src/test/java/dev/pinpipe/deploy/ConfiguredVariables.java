package dev.pinpipe.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The PINPIPE_* variables a module's main code reads: in Java, references to the catalogue's
 * {@code Settings.<CONSTANT>} (mapped to their variable through {@link Settings} itself) and
 * "PINPIPE_…" literals (picocli's {@code descriptionKey}, {@code Settings.named(…)}); picocli's
 * {@code ${env:PINPIPE_…}} defaults; {@code ${PINPIPE_…}} placeholders in the values of its Spring
 * configuration; "PINPIPE_…" literals in Python (a DAG). A library class counts when the module's code
 * uses it, directly or through another library class; the catalogue's own classes do not, since naming
 * the catalogue reads no setting. Comments do not count; tests are not read.
 */
final class ConfiguredVariables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(PINPIPE_[A-Z0-9_]+)");
    private static final Pattern LITERAL = Pattern.compile("[\"'](PINPIPE_[A-Z0-9_]+)[\"']");
    /** picocli's default-value lookup, {@code ${env:PINPIPE_API_URL:-…}}. */
    private static final Pattern PICOCLI_ENV = Pattern.compile("\\$\\{env:(PINPIPE_[A-Z0-9_]+)");
    /** {@code Settings.TOPIC}, also fully qualified; not {@code PostgresSettings.X}. */
    private static final Pattern CONSTANT = Pattern.compile("(?<![A-Za-z0-9_$])Settings\\s*\\.\\s*([A-Z][A-Z0-9_]*)\\b");
    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "import\\s+static\\s+" + Pattern.quote(Settings.class.getName()) + "\\.(\\*|[A-Z][A-Z0-9_]*)\\s*;");
    /** The catalogue's own classes: naming them reads nothing by itself (its DatabaseOptions mixin does). */
    private static final List<String> CATALOGUE = List.of("Settings", "Setting", "CatalogueDefaults").stream()
            .map(c -> Settings.class.getPackageName().replace('.', '/') + "/" + c + ".java").toList();
    /** Each public Setting constant of the catalogue → its variable; the other constants (table names) → null. */
    private static final Map<String, String> CONSTANTS = constants();

    private ConfiguredVariables() {
    }

    /**
     * @param directory a Maven module (its {@code src/main} is read) or a plain directory (all of it)
     * @param libraries Maven modules whose classes the directory's code may use
     */
    static Set<String> of(String directory, List<String> libraries) {
        List<Path> own = files(directory);
        Set<String> names = new TreeSet<>();
        own.forEach(f -> names.addAll(named(f)));
        Map<String, Path> libraryClasses = new LinkedHashMap<>();
        libraries.forEach(l -> javaSources(l).stream()
                .filter(f -> CATALOGUE.stream().noneMatch(Repo.ROOT.relativize(f).toString().replace('\\', '/')::endsWith))
                .forEach(f -> libraryClasses.putIfAbsent(f.getFileName().toString().replaceFirst("\\.java$", ""), f)));
        Deque<Path> toRead = new ArrayDeque<>(own.stream().filter(ConfiguredVariables::isJava).toList());
        Set<Path> used = new LinkedHashSet<>();
        while (!toRead.isEmpty()) {
            String code = codeOnly(Repo.read(toRead.pop()));
            libraryClasses.forEach((className, file) -> {
                if (!used.contains(file) && Pattern.compile("\\b" + className + "\\b").matcher(code).find()) {
                    used.add(file);
                    toRead.push(file);
                }
            });
        }
        used.forEach(f -> names.addAll(named(f)));
        return names;
    }

    /** The Java files of a module's main code. */
    static List<Path> javaSources(String module) {
        return files(module).stream().filter(ConfiguredVariables::isJava).toList();
    }

    /** The variables of the catalogue's constants that Java source names, as {@code Settings.X} or a static import. */
    static Set<String> catalogueReferences(String javaSource) {
        String code = codeOnly(javaSource);
        Set<String> constants = new TreeSet<>();
        collect(CONSTANT, code, constants);
        Matcher imports = STATIC_IMPORT.matcher(code);
        while (imports.find()) {
            if (imports.group(1).equals("*")) {
                throw new AssertionError("import static " + Settings.class.getName() + ".*: name the constants, so the"
                        + " settings a class reads can be told");
            }
            constants.add(imports.group(1));
        }
        Set<String> variables = new TreeSet<>();
        for (String constant : constants) {
            if (!CONSTANTS.containsKey(constant)) {
                throw new AssertionError("Settings." + constant + " is no public constant of the catalogue");
            }
            if (CONSTANTS.get(constant) != null) {
                variables.add(CONSTANTS.get(constant));
            }
        }
        return variables;
    }

    private static boolean isJava(Path file) {
        return file.toString().endsWith(".java");
    }

    private static List<Path> files(String directory) {
        Path root = Repo.path(directory);
        Path main = root.resolve("src/main");
        Path scanned = Files.isDirectory(main) ? main : root;
        if (!Files.isDirectory(scanned)) {
            throw new AssertionError(directory + " does not exist: the compose service it configures has no code");
        }
        try (Stream<Path> files = Files.walk(scanned)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> named(Path file) {
        String name = file.getFileName().toString();
        Set<String> names = new TreeSet<>();
        if (name.matches("application.*\\.(yml|yaml)")) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Repo.read(file))) {
                scalars(document).forEach(value -> collect(PLACEHOLDER, value, names));
            }
        } else if (name.matches("application.*\\.properties")) {
            properties(file).values().forEach(value -> collect(PLACEHOLDER, String.valueOf(value), names));
        } else if (isJava(file)) {
            String source = Repo.read(file);
            String code = withoutComments(source);
            collect(LITERAL, code, names);
            collect(PICOCLI_ENV, code, names);
            names.addAll(catalogueReferences(source));
        } else if (name.endsWith(".py")) {
            collect(LITERAL, Repo.read(file), names);
        }
        return names;
    }

    /** The scalar values of a YAML document (not its keys, nor its comments). */
    private static List<String> scalars(Object node) {
        if (node instanceof Map<?, ?> map) {
            return map.values().stream().flatMap(v -> scalars(v).stream()).toList();
        }
        if (node instanceof Collection<?> list) {
            return list.stream().flatMap(v -> scalars(v).stream()).toList();
        }
        return node == null ? List.of() : List.of(String.valueOf(node));
    }

    private static Properties properties(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repo.read(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** Java source with its {@code //} and {@code /* *}{@code /} comments blanked; string, char and text-block literals kept. */
    static String withoutComments(String source) {
        return strip(source, true);
    }

    /** Java source as code only: comments blanked, and the contents of its literals too. */
    static String codeOnly(String source) {
        return strip(source, false);
    }

    private static String strip(String source, boolean keepLiterals) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i) || source.startsWith("/*", i)) {
                boolean line = source.charAt(i + 1) == '/';
                int end = source.indexOf(line ? "\n" : "*/", i + 2);
                i = end < 0 ? source.length() : line ? end : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                int stop = literalEnd(source, i);
                out.append(keepLiterals ? source.substring(i, stop) : "\"\"");
                i = stop;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the string, char or text-block literal that starts at {@code start} ends (exclusive). */
    private static int literalEnd(String source, int start) {
        if (source.startsWith("\"\"\"", start)) {
            int end = source.indexOf("\"\"\"", start + 3);
            return end < 0 ? source.length() : end + 3;
        }
        char quote = source.charAt(start);
        int j = start + 1;
        while (j < source.length() && source.charAt(j) != quote && source.charAt(j) != '\n') {
            j += source.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, source.length());
    }

    private static Map<String, String> constants() {
        Map<String, String> constants = new LinkedHashMap<>();
        for (Field f : Settings.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                try {
                    constants.put(f.getName(), f.get(null) instanceof Setting s ? s.variable() : null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return constants;
    }
}
