package dev.pinpipe.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a health check connects to, read from its command: the host and port, and for an HTTP probe
 * the path and the text the answer must hold. Knows the probe commands this repository uses; any
 * other fails the check rather than passing unread.
 *
 * @param expected the text the probe requires in the answer, empty when it checks only the status
 */
record HealthProbe(String command, String host, int port, Optional<String> path, Optional<String> expected) {

    /** mc's built-in alias {@code local}, used when the container's environment does not redefine it. */
    private static final String MC_LOCAL = "http://localhost:9000";
    /** libpq's port when neither {@code -p} nor {@code PGPORT} gives one. */
    private static final int LIBPQ_PORT = 5432;

    /** The probe of a compose health check's {@code test} (an enabled one), run in a container whose environment is {@code env}. */
    static HealthProbe ofCompose(Object test, Map<String, String> env) {
        if (test instanceof String shell) {
            return ofShell(composeUnescaped(shell), env);
        }
        List<String> form = ComposeFile.list(test).stream().map(HealthProbe::composeUnescaped).toList();
        return switch (form.get(0)) {
            case "CMD" -> parse(form.subList(1, form.size()), env, String.join(" ", form));
            case "CMD-SHELL" -> ofShell(String.join(" ", form.subList(1, form.size())), env);
            default -> throw new AssertionError("an enabled compose health check test starts with CMD or CMD-SHELL: " + form);
        };
    }

    /** A Dockerfile {@code HEALTHCHECK}'s arguments without its options: {@code NONE} or {@code CMD …}. */
    static String dockerfileCommand(String arguments) {
        String rest = arguments.strip();
        while (rest.startsWith("--")) {
            rest = rest.substring(rest.indexOf(' ') + 1).strip();
        }
        return rest;
    }

    /** The probe of a Dockerfile {@code HEALTHCHECK} (its arguments, not NONE) in an image whose environment is {@code env}. */
    static HealthProbe ofDockerfile(String arguments, Map<String, String> env) {
        String rest = dockerfileCommand(arguments);
        if (!rest.startsWith("CMD")) {
            throw new AssertionError("HEALTHCHECK " + arguments + ": neither CMD nor NONE");
        }
        rest = rest.substring(3).strip();
        if (!rest.startsWith("[")) {
            return ofShell(rest, env);
        }
        try {
            List<String> exec = new ObjectMapper().readValue(rest, new TypeReference<List<String>>() { });
            return parse(exec, env, String.join(" ", exec));
        } catch (java.io.IOException e) {
            throw new AssertionError("HEALTHCHECK CMD " + rest + ": not a JSON array", e);
        }
    }

    private static HealthProbe ofShell(String line, Map<String, String> env) {
        return parse(ShellWords.split(line, env), env, line);
    }

    /**
     * Compose substitutes {@code ${VAR}} in the file from the environment compose runs in, not the
     * container's, and {@code $$} is a literal {@code $}: a probe port taken from the host is not provable.
     */
    private static String composeUnescaped(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '$') {
                throw new AssertionError("compose fills in " + text.substring(i) + " from the host's environment: "
                        + "write $$ for the container's, or the value itself");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Finds the probe command among the words (redirections and {@code ||} may surround it). */
    private static HealthProbe parse(List<String> words, Map<String, String> env, String shown) {
        for (int i = 0; i < words.size(); i++) {
            String name = words.get(i).substring(words.get(i).lastIndexOf('/') + 1);
            List<String> args = words.subList(i + 1, words.size());
            if (name.equals("http-health") || name.equals("http-health.sh")) {
                // http-health <port> <path> [expected, default "UP"]: docker/http-health.sh
                return new HealthProbe(shown, "127.0.0.1", port(args.get(0), shown), Optional.of(args.get(1)),
                        Optional.of(args.size() > 2 ? args.get(2) : "\"UP\""));
            }
            if (name.equals("curl") || name.equals("wget")) {
                String url = args.stream().filter(a -> a.matches("https?://.*")).findFirst()
                        .orElseThrow(() -> new AssertionError("no http(s) URL in " + shown));
                return ofUrl(shown, url, true);
            }
            if (name.startsWith("kafka-") && name.endsWith(".sh")) {
                String servers = option(args, "--bootstrap-server")
                        .orElseThrow(() -> new AssertionError("no --bootstrap-server in " + shown));
                return ofUrl(shown, "tcp://" + servers.split(",")[0], false);
            }
            if (name.equals("pg_isready")) {
                String port = option(args, "-p").or(() -> option(args, "--port"))
                        .orElse(env.getOrDefault("PGPORT", Integer.toString(LIBPQ_PORT)));
                // without -h libpq takes the local socket, whose file name carries the port
                String host = option(args, "-h").or(() -> option(args, "--host")).orElse(env.getOrDefault("PGHOST", "localhost"));
                return new HealthProbe(shown, host, port(port, shown), Optional.empty(), Optional.empty());
            }
            if (name.equals("mc") && args.size() >= 2 && args.get(0).equals("ready")) {
                String alias = args.get(1);
                String url = env.get("MC_HOST_" + alias);
                if (url == null && !alias.equals("local")) {
                    throw new AssertionError(shown + ": mc alias " + alias + " is neither MC_HOST_" + alias + " nor mc's built-in 'local'");
                }
                return ofUrl(shown, url == null ? MC_LOCAL : url, false);
            }
        }
        throw new AssertionError("cannot tell which port this health check probes: " + shown
                + " (HealthProbe knows http-health, curl, wget, kafka-*.sh --bootstrap-server, pg_isready, mc ready)");
    }

    private static HealthProbe ofUrl(String shown, String url, boolean withPath) {
        URI uri = URI.create(url);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (uri.getHost() == null || (uri.getPort() < 0 && !withPath)) {
            throw new AssertionError(shown + ": no host and port in " + url);
        }
        Optional<String> path = withPath ? Optional.of(uri.getPath().isEmpty() ? "/" : uri.getPath()) : Optional.empty();
        return new HealthProbe(shown, uri.getHost(), port, path, Optional.empty());
    }

    /** The value of {@code -x value}, {@code -xvalue} (short options) or {@code --long=value}. */
    private static Optional<String> option(List<String> args, String name) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name) && i + 1 < args.size()) {
                found.add(args.get(i + 1));
            } else if (a.startsWith(name + "=")) {
                found.add(a.substring(name.length() + 1));
            } else if (!name.startsWith("--") && a.startsWith(name) && a.length() > name.length()) {
                found.add(a.substring(name.length()));
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    static int port(String value, String where) {
        if (value == null || !value.matches("[0-9]{1,5}") || Integer.parseInt(value) == 0) {
            throw new AssertionError(where + ": port '" + value + "' is not a fixed port number");
        }
        return Integer.parseInt(value);
    }
}
