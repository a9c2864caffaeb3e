package dev.pinpipe.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that bind them a few seconds later. Picked at random BELOW the
 * kernel's ephemeral range (32768+ on Linux): a port the kernel hands out with {@code bind(0)} is also
 * what it hands to the next outgoing connection, and on a busy machine one of those took our broker's
 * port between the pick and the bind. JDK only (the test side uses it too).
 */
public final class FreePorts {

    private static final int FROM = 20000;
    private static final int TO = 32000;

    private FreePorts() {
    }

    /** {@code count} distinct ports that were free a moment ago. */
    public static int[] pick(int count) {
        Set<Integer> taken = new HashSet<>();
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = pickOne(taken);
            taken.add(ports[i]);
        }
        return ports;
    }

    /** The first of {@code count} consecutive ports that were free a moment ago, none of {@code avoid}. */
    public static int pickConsecutive(int count, int... avoid) {
        Set<Integer> taken = new HashSet<>();
        for (int port : avoid) {
            taken.add(port);
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(FROM, TO - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = !taken.contains(port) && bindable(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in " + FROM + ".." + TO + " after 200 tries");
    }

    private static int pickOne(Set<Integer> taken) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FROM, TO);
            if (!taken.contains(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FROM + ".." + TO + " after 200 tries");
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
