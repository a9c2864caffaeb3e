# Airflow with the pinterest_batch DAG, able to run its batch task inside the container: the image
# carries a JRE and the batch-spark-job build, and $PINPIPE_ROOT/pinpipe answers the DAG's default
# command "pinpipe batch --date <ds>" (docker/airflow/pinpipe). Python packages as airflow/ pins them.
# Build context: the repository root.
#   docker build -f docker/airflow.Dockerfile -t pinpipe/airflow:0.1.0 .

# Stage 1: word for word the build stage of docker/batch-spark-job.Dockerfile (deploy-check checks).
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

# Stage 2: the JRE the job runs on, taken whole from the pinned Temurin image.
FROM eclipse-temurin:17.0.16_8-jre-noble AS jre

# Stage 3: the Airflow release airflow/constraints.txt pins, on the Python those pins were made with.
FROM apache/airflow:3.3.2-python3.11
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /out/ /opt/pinpipe/batch-spark-job/
COPY --chmod=755 docker/airflow/pinpipe /opt/pinpipe/pinpipe
COPY --chown=50000:0 docker/airflow/passwords.json /opt/pinpipe/airflow-passwords.json
COPY airflow/constraints.txt /opt/pinpipe/airflow/
ENV JAVA_HOME=/opt/java/openjdk \
    PINPIPE_ROOT=/opt/pinpipe
USER 50000:0
# only what the DAG imports, at the versions its tests ran with; Airflow itself stays the image's
RUN pip install --no-cache-dir --constraint /opt/pinpipe/airflow/constraints.txt \
      apache-airflow==3.3.2 apache-airflow-providers-postgres apache-airflow-providers-standard boto3 \
 && mkdir -p /opt/airflow/data
HEALTHCHECK --interval=15s --timeout=10s --start-period=180s --retries=8 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/api/v2/monitor/health"]
