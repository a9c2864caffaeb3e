package dev.pinpipe.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a {@link LocalStack}: one per test JVM, started on first use (on free ports, with a
 * fresh data folder under {@code target/local-stack/}), shared by every test class, stopped when the
 * JUnit run ends (root store) or, at the latest, by a JVM shutdown hook.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class SomethingIT {
 *     @Test void works(LocalStack stack) { ... }
 * }
 * }</pre>
 * Code outside a test method's parameters (a {@code @BeforeAll}, a Spring initializer) can call
 * {@link #stack()}. Set {@code -Dpinpipe.localstack.start-timeout=<seconds>} on a slow machine (default 180).
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);
    private static LocalStack stack;
    private static boolean hookInstalled;

    /** The test JVM's stack, starting it if needed. */
    public static synchronized LocalStack stack() {
        if (stack == null || !stack.isRunning()) {
            Path run = runFolder();
            stack = LocalStack.launch(run.resolve("data"), run.resolve("local-stack.log"));
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(LocalStackExtension::stopStack, "local-stack-stop"));
                hookInstalled = true;
            }
        }
        return stack;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // closed by JUnit once the whole run is over, not after this class
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(Closer.class, k -> new Closer(), Closer.class);
        return stack();
    }

    private static synchronized void stopStack() {
        if (stack != null) {
            stack.close();
            try {
                Dirs.deleteTree(stack.dataDir());   // the log beside it stays for reading
            } catch (IOException e) {
                System.err.println("local-stack: could not delete " + stack.dataDir() + ": " + e);
            }
            stack = null;
        }
    }

    /** target/local-stack/run-<pid>-<millis> under the test's working directory (the module under Maven). */
    private static Path runFolder() {
        Path target = Path.of("target");
        Path base = Files.isDirectory(target) ? target.resolve("local-stack") : Path.of(System.getProperty("java.io.tmpdir"), "pinpipe-local-stack");
        try {
            return Files.createDirectories(base.resolve("run-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis())).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Closer implements AutoCloseable {
        @Override
        public void close() {
            stopStack();
        }
    }
}
