package dev.pinpipe.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read as its build stages: enough to check base images, the user the last stage
 * runs as and its health check. Continuation lines are joined; comments and parser directives dropped.
 */
record Dockerfile(Path path, List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String base, Optional<String> alias, List<Instruction> instructions) {

        Optional<String> last(String keyword) {
            String found = null;
            for (Instruction i : instructions) {
                if (i.keyword().equals(keyword)) {
                    found = i.arguments();
                }
            }
            return Optional.ofNullable(found);
        }

        boolean has(String keyword) {
            return last(keyword).isPresent();
        }

        /** What this stage's ENV instructions set: the image's own environment, its base image's left out. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : instructions) {
                if (!i.keyword().equals("ENV")) {
                    continue;
                }
                List<String> words = ShellWords.split(i.arguments(), env);
                if (!words.get(0).contains("=")) {   // the old form, ENV NAME value
                    env.put(words.get(0), String.join(" ", words.subList(1, words.size())));
                    continue;
                }
                for (String w : words) {
                    env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
                }
            }
            return env;
        }
    }

    static Dockerfile read(Path path) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (String line : logicalLines(Repo.read(path))) {
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : line.substring(space + 1).trim();
            if (keyword.equals("FROM")) {
                String[] words = arguments.split("\\s+");
                List<String> plain = new ArrayList<>();
                for (String w : words) {
                    if (!w.startsWith("--")) {
                        plain.add(w);
                    }
                }
                Optional<String> alias = plain.size() >= 3 && plain.get(1).equalsIgnoreCase("AS")
                        ? Optional.of(plain.get(2)) : Optional.empty();
                current = new ArrayList<>();
                stages.add(new Stage(plain.get(0), alias, current));
            } else if (current != null) {
                current.add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(path, List.copyOf(stages));
    }

    Stage finalStage() {
        if (stages.isEmpty()) {
            throw new AssertionError(path + " has no FROM");
        }
        return stages.get(stages.size() - 1);
    }

    /** Base images that are pulled, i.e. not an earlier stage of this file. */
    List<String> externalBases() {
        List<String> aliases = new ArrayList<>();
        List<String> external = new ArrayList<>();
        for (Stage s : stages) {
            if (!aliases.contains(s.base())) {
                external.add(s.base());
            }
            s.alias().ifPresent(aliases::add);
        }
        return external;
    }

    private static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            lines.add(pending.toString().strip());
            pending.setLength(0);
        }
        if (!pending.isEmpty()) {
            lines.add(pending.toString().strip());
        }
        return lines;
    }
}
