# user-emulator: posts realistic pins to the ingest API at a chosen rate. A one-shot CLI:
#   docker compose run --rm user-emulator --count 1000
# Build context: the repository root.

# Stage 1: the reactor builds the emulator's one runnable (shaded) jar.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -pl user-emulator -am -DskipTests package \
 && find user-emulator/target -maxdepth 1 -name 'user-emulator-*-all.jar' -exec cp {} /user-emulator.jar \; \
 && test -s /user-emulator.jar

# Stage 2: a slim JRE; arguments after the image name go to the emulator (--count, --rate, --help).
FROM eclipse-temurin:17.0.16_8-jre-noble
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pinpipe
WORKDIR /app
COPY --from=build /user-emulator.jar ./
USER 10001:10001
# runs to completion and exits: nothing to probe
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/app/user-emulator.jar"]
