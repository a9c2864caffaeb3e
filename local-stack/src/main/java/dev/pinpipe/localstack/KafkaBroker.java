package dev.pinpipe.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka (combined broker + controller) in this JVM: the real broker, formatted on
 * first start, its log kept under {@code dir} across restarts. The stack runs it in a process of its
 * own ({@link ServerProcess}), so the controller port is chosen by the stack and kept across restarts.
 */
final class KafkaBroker implements LocalServer {

    private static final int NODE_ID = 1;

    private final String host;
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final int partitions;
    private KafkaRaftServer server;

    KafkaBroker(String host, int port, int controllerPort, Path dir, int partitions) {
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
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
        Topics.create(host + ":" + port, partitions);
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
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(Set.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    private Map<String, String> config() {
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dir.toString()),
                Map.entry("num.partitions", Integer.toString(partitions)),
                // one node: every internal topic with a single replica; few offset partitions start faster
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // after a kill -9 the broker may register again only once its old session has expired
                // (default 9 s); a single node's heartbeats never leave the process
                Map.entry("broker.session.timeout.ms", "4000"),
                Map.entry("broker.heartbeat.interval.ms", "1000"));
    }
}
