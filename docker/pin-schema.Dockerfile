# pin-schema: compose's one-shot `migrate` service. Flyway applies pin-core's db/migration to the database
# of PINPIPE_JDBC_URL, then the container exits; the services that use the database wait for it.
#   docker compose run --rm migrate            # again, by hand (does nothing when the schema is current)
# Build context: the repository root. Runs dev.pinpipe.schema.MigrateMain exactly as ./pinpipe migrate
# does: the module's jar plus its target/classpath.txt (pin-core, with the migrations, among them).

# Stage 1: the reactor builds pin-schema and pin-core; the classpath file names every jar.
FROM maven:3.9.11-eclipse-temurin-17 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -pl pin-schema -am -DskipTests package \
 && mkdir -p /out/lib \
 && tr ':' '\n' < pin-schema/target/classpath.txt | xargs cp -t /out/lib \
 && find pin-schema/target -maxdepth 1 -name 'pin-schema-*.jar' ! -name '*-tests.jar' -exec cp {} /out/pin-schema.jar \; \
 && test -s /out/pin-schema.jar

# Stage 2: a slim JRE; arguments after the image name go to the command (--help).
FROM eclipse-temurin:17.0.16_8-jre-noble
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pinpipe
WORKDIR /app
COPY --from=build /out/lib/ lib/
COPY --from=build /out/pin-schema.jar ./
USER 10001:10001
# runs to completion and exits: nothing to probe
HEALTHCHECK NONE
ENTRYPOINT ["java", "-cp", "/app/pin-schema.jar:/app/lib/*", "dev.pinpipe.schema.MigrateMain"]
