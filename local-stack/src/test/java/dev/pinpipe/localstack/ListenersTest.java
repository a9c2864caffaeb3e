package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

    @Test
    void readsProcNetAddresses() {
        assertThat(Listeners.address("0100007F")).isEqualTo("127.0.0.1");
        assertThat(Listeners.address("00000000")).isEqualTo("0.0.0.0");
        assertThat(Listeners.address("00000000000000000000000001000000")).isEqualTo("::1");
        assertThat(Listeners.address("00000000000000000000000000000000")).isEqualTo("::");
        assertThat(Listeners.address("0000000000000000FFFF00000100007F")).isEqualTo("::ffff:127.0.0.1");
    }

    @Test
    void findsThisProcessesSocketsWithTheirAddress() throws IOException {
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket wildcard = new ServerSocket(0)) {
            List<Listeners.Listener> mine = Listeners.of(List.of(ProcessHandle.current()));
            assertThat(mine).anyMatch(l -> l.port() == loopback.getLocalPort() && l.loopback());
            assertThat(mine).anyMatch(l -> l.port() == wildcard.getLocalPort() && !l.loopback());
        }
    }
}
