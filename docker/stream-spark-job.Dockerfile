# stream-spark-job: Spark Structured Streaming, PinterestTopic → the seven rules → pins_stream.
# Build context: the repository root. Runs Spark in local mode inside the container, exactly as
# ./pinpipe does: the thin jar plus the module's target/classpath.txt (Spark included), with
# Spark's --add-opens list from the root pom (spark.jvm.options) as a java @argfile.
#   docker build -f docker/stream-spark-job.Dockerfile -t pinpipe/stream-spark-job:0.1.0 .

# Stage 1: the reactor builds the job, pin-spark and pin-core; the classpath file names every jar.
FROM maven:3.9.11-eclipse-temurin-17 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -pl stream-spark-job -am -DskipTests package \
 && mkdir -p /out/lib \
 && tr ':' '\n' < stream-spark-job/target/classpath.txt | xargs cp -t /out/lib \
 && find stream-spark-job/target -maxdepth 1 -name 'stream-spark-job-*.jar' \
      ! -name '*-cluster.jar' ! -name '*-tests.jar' -exec cp {} /out/stream-spark-job.jar \; \
 && mvn -B -ntp -q -N org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate \
      -Dexpression=spark.jvm.options -DforceStdout > /out/jvm.options \
 && test -s /out/stream-spark-job.jar && test -s /out/jvm.options

# Stage 2: a slim JRE; the checkpoint and metrics live under PINPIPE_HOME (a volume in compose).
FROM eclipse-temurin:17.0.16_8-jre-noble
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pinpipe \
 && mkdir -p /var/lib/pinpipe && chown 10001:10001 /var/lib/pinpipe
WORKDIR /app
COPY --from=build /out/lib/ lib/
COPY --from=build /out/jvm.options /out/stream-spark-job.jar ./
COPY --chmod=755 docker/http-health.sh /usr/local/bin/http-health
USER 10001:10001
ENV PINPIPE_HOME=/var/lib/pinpipe
# the Spark UI: its REST API lists the running application once the driver is up
EXPOSE 4040
HEALTHCHECK --interval=15s --timeout=8s --start-period=180s --retries=6 \
  CMD ["http-health", "4040", "/api/v1/applications", "\"pinpipe-stream\""]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "@/app/jvm.options", \
            "-cp", "/app/stream-spark-job.jar:/app/lib/*", "dev.pinpipe.stream.StreamJob"]
