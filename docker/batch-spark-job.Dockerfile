# batch-spark-job: one day of the S3 archive → the seven rules → pins_batch. A one-shot job:
#   docker compose run --rm batch-spark-job --date 2026-11-27
# Build context: the repository root. Runs Spark in local mode inside the container, exactly as
# ./pinpipe batch does: the thin jar plus the module's target/classpath.txt (Spark included), with
# Spark's --add-opens list from the root pom (spark.jvm.options) as a java @argfile.
# docker/airflow.Dockerfile repeats stage 1 word for word (deploy-check holds them equal), so
# BuildKit builds it once for both images.

# Stage 1: the reactor builds the job, pin-spark and pin-core; the classpath file names every jar.
FROM maven:3.9.11-eclipse-temurin-17 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -pl batch-spark-job -am -DskipTests package \
 && mkdir -p /out/lib \
 && tr ':' '\n' < batch-spark-job/target/classpath.txt | xargs cp -t /out/lib \
 && find batch-spark-job/target -maxdepth 1 -name 'batch-spark-job-*.jar' \
      ! -name '*-cluster.jar' ! -name '*-tests.jar' -exec cp {} /out/batch-spark-job.jar \; \
 && mvn -B -ntp -q -N org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate \
      -Dexpression=spark.jvm.options -DforceStdout > /out/jvm.options \
 && test -s /out/batch-spark-job.jar && test -s /out/jvm.options

# Stage 2: a slim JRE; arguments after the image name go to the job (--date, --from/--to, --help).
FROM eclipse-temurin:17.0.16_8-jre-noble
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pinpipe
WORKDIR /app
COPY --from=build /out/lib/ lib/
COPY --from=build /out/jvm.options /out/batch-spark-job.jar ./
USER 10001:10001
# runs to completion and exits: nothing to probe
HEALTHCHECK NONE
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "@/app/jvm.options", \
            "-cp", "/app/batch-spark-job.jar:/app/lib/*", "dev.pinpipe.batch.BatchJob"]
