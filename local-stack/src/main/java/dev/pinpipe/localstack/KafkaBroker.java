package dev.pinpipe.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One KRaft Kafka node (combined broker + controller) in this JVM: the real broker, formatted on first
 * start, its log kept under {@code dir} across restarts. The stack runs each node in a process of its
 * own ({@link ServerProcess}): one node, or a cluster of several whose controllers form the quorum
 * ({@code voters}). The stack chooses the ports and the cluster id and keeps them across restarts.
 */
final class KafkaBroker implements LocalServer {

    private final String host;
    private final int port;
    private final int controllerPort;
    private final int nodeId;
    private final String voters;
    private final String clusterId;
    private final int brokers;
    private final Path dir;
    private final int partitions;
    private KafkaRaftServer server;

    /**
     * @param voters    the controller quorum, {@code id@host:port,…} (this node's own entry among them)
     * @param clusterId used to format a new log dir; every node of a cluster gets the same
     * @param brokers   how many nodes the cluster has: the internal topics' replication follows it
     */
    KafkaBroker(String host, int nodeId, int port, int controllerPort, String voters, String clusterId, int brokers,
                Path dir, int partitions) {
        this.host = host;
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.voters = voters;
        this.clusterId = clusterId;
        this.brokers = brokers;
        this.dir = dir;
        this.partitions = partitions;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format();
        }
        KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
        started.startup();
        server = started;
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();       // controlled shutdown: flushes and closes every log segment
        server.awaitShutdown();
        server = null;
    }

    private void format() throws Exception {
        Files.createDirectories(dir);
        new Formatter()
                .setPrintStream(System.out)
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(Set.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    private Map<String, String> config() {
        String replicas = Integer.toString(Math.min(3, brokers));
        String minInSync = Integer.toString(Topics.minInSync(brokers));
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(nodeId)),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dir.toString()),
                Map.entry("num.partitions", Integer.toString(partitions)),
                // internal topics replicated like the pipeline's own; few offset partitions start faster
                Map.entry("default.replication.factor", replicas),
                Map.entry("min.insync.replicas", minInSync),
                Map.entry("offsets.topic.replication.factor", replicas),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", replicas),
                Map.entry("transaction.state.log.min.isr", minInSync),
                Map.entry("share.coordinator.state.topic.replication.factor", replicas),
                Map.entry("share.coordinator.state.topic.min.isr", minInSync),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // after a kill -9 a node may register again only once its old session has expired
                // (default 9 s); on loopback heartbeats are never late
                Map.entry("broker.session.timeout.ms", "4000"),
                Map.entry("broker.heartbeat.interval.ms", "1000"));
    }
}
