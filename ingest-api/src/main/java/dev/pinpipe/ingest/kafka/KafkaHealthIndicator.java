package dev.pinpipe.ingest.kafka;

import dev.pinpipe.ingest.IngestProperties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP while the cluster answers a describe-cluster call within {@code pinpipe.ingest.health-timeout}.
 * Part of the readiness group, so a load balancer stops sending pins the API could only answer with 503.
 */
@Component("kafka")
public class KafkaHealthIndicator implements HealthIndicator {

    private final Admin admin;
    private final long timeoutMillis;

    public KafkaHealthIndicator(Admin admin, IngestProperties properties) {
        this.admin = admin;
        this.timeoutMillis = properties.healthTimeout().toMillis();
    }

    @Override
    public Health health() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis));
            int nodes = cluster.nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", e.getCause().getClass().getSimpleName()).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "no answer within " + timeoutMillis + " ms").build();
        }
    }
}
