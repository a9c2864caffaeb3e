package dev.pinpipe.localstack;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The stack's two topics on any broker or cluster (embedded or a container): created if missing, then led. */
final class Topics {

    private Topics() {
    }

    /** {@link #create(String, List, int, int)} on a single broker. */
    static void create(String bootstrap, List<String> topics, int partitions) throws Exception {
        create(bootstrap, topics, partitions, 1);
    }

    /**
     * Creates the pin topic and its DLT ({@code topics}) with {@code partitions} each on a cluster of
     * {@code brokers} (replication factor min(3, brokers), {@code min.insync.replicas} one less when
     * replicated) and waits for a leader on every partition.
     */
    static void create(String bootstrap, List<String> topics, int partitions, int brokers) throws Exception {
        short replicas = (short) Math.min(3, brokers);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            // the DLT gets as many partitions as the topic: the recoverer keeps a record's partition
            for (String topic : topics) {
                NewTopic spec = new NewTopic(topic, partitions, replicas)
                        .configs(Map.of("min.insync.replicas", Integer.toString(minInSync(brokers))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (true) {
                    try {
                        admin.createTopics(List.of(spec)).all().get(60, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) {
                            break;
                        }
                        // brokers of a cluster that started together may not all be registered yet
                        if (!(e.getCause() instanceof InvalidReplicationFactorException) || System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(200);
                    }
                }
            }
            awaitLeaders(admin, topics);
        }
    }

    /** A step that may throw: creating the topics of a stack. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** Acknowledged (acks=all) means on this many replicas: two of three on a cluster, else the one. */
    static int minInSync(int brokers) {
        return brokers >= 3 ? 2 : 1;
    }

    /** Until the broker's metadata has the topics with a leader on every partition: producers can send right away. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames()
                        .get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics have no leader after 60 s");
            }
            Thread.sleep(50);
        }
    }
}
