package dev.pinpipe.spark;

import dev.pinpipe.core.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The address a Spark job run in local mode listens on: the driver's RPC and block-manager ports
 * and the Spark UI. The catalogue's {@link Settings#BIND_ADDRESS}, loopback unless set (the Spring
 * services read the same variable). Under a cluster master the jobs leave binding to Spark's own settings.
 *
 * @param address an IP address or host name of this machine; {@code 0.0.0.0} listens on every interface
 */
public record DriverBinding(String address) {

    /** The host a driver bound to every interface advertises to its executors. */
    private static final String LOOPBACK = "127.0.0.1";
    /** Spark's Web UI takes its bind host from this environment variable only (else 0.0.0.0). */
    public static final String SPARK_LOCAL_IP_ENV = "SPARK_LOCAL_IP";

    public DriverBinding {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException(Settings.BIND_ADDRESS.variable() + " is blank");
        }
    }

    public static DriverBinding fromEnv(Map<String, String> env) {
        return new DriverBinding(Settings.BIND_ADDRESS.value(env::get).strip());
    }

    /**
     * {@code spark.driver.bindAddress} and {@code spark.driver.host} for a local-mode session. The
     * advertised host is the address itself, or loopback when the address is a wildcard.
     */
    public Map<String, String> localSparkConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.bindAddress", address);
        conf.put("spark.driver.host", isWildcard() ? LOOPBACK : address);
        return conf;
    }

    /**
     * Why the Spark UI would listen elsewhere than this address, or empty when it will not: Spark
     * binds its UI to {@code SPARK_LOCAL_IP} (0.0.0.0 when unset), which a running JVM cannot set.
     */
    public Optional<String> uiMismatch(Map<String, String> env) {
        String localIp = env.get(SPARK_LOCAL_IP_ENV);
        String uiHost = localIp == null || localIp.isBlank() ? "0.0.0.0" : localIp.strip();
        if (uiHost.equals(address)) {
            return Optional.empty();
        }
        return Optional.of("the Spark UI listens on " + uiHost + ", not on " + Settings.BIND_ADDRESS.variable() + "=" + address
                + ": Spark takes its UI's address only from " + SPARK_LOCAL_IP_ENV
                + " (./pinpipe sets it); export " + SPARK_LOCAL_IP_ENV + "=" + address + " before starting the job");
    }

    private boolean isWildcard() {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }
}
