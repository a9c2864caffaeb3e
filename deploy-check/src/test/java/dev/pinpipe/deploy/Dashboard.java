package dev.pinpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Grafana dashboard of docker/grafana/dashboards, which compose's Grafana provisions, and its queries. */
record Dashboard(String file, JsonNode json) {

    static final String FOLDER = "docker/grafana/dashboards";

    /** One query of a panel: PromQL for a Prometheus data source, SQL for PostgreSQL. */
    record Query(String where, String datasourceType, String datasourceUid, String text) {

        boolean prometheus() {
            return datasourceType.equals("prometheus");
        }

        boolean sql() {
            return datasourceType.equals("grafana-postgresql-datasource");
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** PromQL words that are not metrics: operators, modifiers and aggregation clauses. */
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan");
    private static final Pattern FROM_OR_JOIN = Pattern.compile("(?i)\\b(?:from|join)\\s+([a-z_][a-z0-9_]*)\\s*(\\()?");
    /** SQL functions whose arguments hold a FROM that reads no relation: extract(epoch FROM x), substring(s FROM n). */
    private static final Pattern FROM_IN_FUNCTION = Pattern.compile("(?i)\\b(?:extract|substring|trim|overlay|position)\\s*\\([^()]*\\)");
    private static final Pattern CTE = Pattern.compile("(?i)(?:\\bwith|,)\\s*([a-z_][a-z0-9_]*)\\s+as\\s*\\(");

    static List<Dashboard> all() {
        try (Stream<Path> files = Files.list(Repo.path(FOLDER))) {
            ObjectMapper mapper = new ObjectMapper();
            List<Dashboard> dashboards = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    dashboards.add(new Dashboard(f.getFileName().toString(), mapper.readTree(f.toFile())));
                } catch (IOException e) {
                    throw new AssertionError(FOLDER + "/" + f.getFileName() + " is not valid JSON: " + e.getMessage(), e);
                }
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String title() {
        return json.path("title").asText();
    }

    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        json.path("panels").forEach(panels::add);
        return panels;
    }

    /** Every target of every panel, with the data source the target names (else its panel's). */
    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                JsonNode ds = target.has("datasource") ? target.get("datasource") : panel.path("datasource");
                String text = target.has("rawSql") ? target.get("rawSql").asText() : target.path("expr").asText();
                queries.add(new Query(file + " \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        ds.path("type").asText(), ds.path("uid").asText(), text));
            }
        }
        return queries;
    }

    /** The metric names a PromQL expression reads: its identifiers less functions, keywords, labels and strings. */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String rest = s.substring(m.end()).stripLeading();
            if (!rest.startsWith("(") && !PROMQL_WORDS.contains(m.group().toLowerCase())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The tables and views an SQL query reads (FROM and JOIN), less its own WITH names and set-returning functions. */
    static Set<String> relations(String sql) {
        String s = FROM_IN_FUNCTION.matcher(sql).replaceAll(" ");
        Set<String> ctes = new TreeSet<>();
        Matcher cte = CTE.matcher(s);
        while (cte.find()) {
            ctes.add(cte.group(1).toLowerCase());
        }
        Set<String> names = new TreeSet<>();
        Matcher m = FROM_OR_JOIN.matcher(s);
        while (m.find()) {
            String name = m.group(1).toLowerCase();
            if (m.group(2) == null && !ctes.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
