# ingest-api: POST /pin, /pins → Kafka, answering after the broker's ack.
# Build context: the repository root.
#   docker build -f docker/ingest-api.Dockerfile -t pinpipe/ingest-api:0.1.0 .

# Stage 1: the repository's own reactor builds the module and what it needs (pin-core).
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -pl ingest-api -am -DskipTests package \
 && set -- ingest-api/target/ingest-api-*.jar \
 && java -Djarmode=tools -jar "$1" extract --layers --launcher --destination /layers

# Stage 2: a slim JRE, the Boot layers copied least-changing first so rebuilds reuse the big ones.
FROM eclipse-temurin:17.0.16_8-jre-noble
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pinpipe
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=755 docker/http-health.sh /usr/local/bin/http-health
USER 10001:10001
# actuator answers on the management port only. The service binds loopback unless
# PINPIPE_BIND_ADDRESS opens it (compose sets 0.0.0.0; so must `docker run -p`): docs/security.md
ENV PINPIPE_API_PORT=8000 PINPIPE_API_MANAGEMENT_PORT=8100
EXPOSE 8000 8100
# shell form on purpose: the probe follows the port the service was given
# hadolint ignore=DL3025
HEALTHCHECK --interval=10s --timeout=8s --start-period=120s --retries=6 \
  CMD http-health "${PINPIPE_API_MANAGEMENT_PORT}" /actuator/health
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
