package dev.pinpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PINPIPE_* variables a module's own main code names: {@code ${PINPIPE_…}} placeholders in its
 * Spring configuration, "PINPIPE_…" string literals in its Java (an args record) or Python (a DAG),
 * and picocli's {@code ${env:PINPIPE_…}} defaults.
 * A library's variables (pin-spark's {@code PostgresSettings}) count when the module uses the class
 * that names them. Comments that merely mention a variable do not count; tests are not read.
 */
final class ConfiguredVariables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(PINPIPE_[A-Z0-9_]+)");
    private static final Pattern LITERAL = Pattern.compile("[\"'](PINPIPE_[A-Z0-9_]+)[\"']");
    /** picocli's default-value lookup, {@code ${env:PINPIPE_API_URL:-…}}. */
    private static final Pattern PICOCLI_ENV = Pattern.compile("\\$\\{env:(PINPIPE_[A-Z0-9_]+)");

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
        String ownCode = String.join("\n", own.stream().filter(f -> f.toString().endsWith(".java")).map(Repo::read).toList());
        for (String library : libraries) {
            for (Path f : files(library)) {
                String className = f.getFileName().toString().replaceFirst("\\.java$", "");
                if (f.toString().endsWith(".java") && Pattern.compile("\\b" + className + "\\b").matcher(ownCode).find()) {
                    names.addAll(named(f));
                }
            }
        }
        return names;
    }

    /** The Java files of a module's main code. */
    static List<Path> javaSources(String module) {
        return files(module).stream().filter(f -> f.toString().endsWith(".java")).toList();
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
        if (name.matches("application.*\\.(yml|yaml|properties)")) {
            collect(PLACEHOLDER, Repo.read(file), names);
        } else if (name.endsWith(".java")) {
            collect(LITERAL, Repo.read(file), names);
            collect(PICOCLI_ENV, Repo.read(file), names);
        } else if (name.endsWith(".py")) {
            collect(LITERAL, Repo.read(file), names);
        }
        return names;
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }
}
