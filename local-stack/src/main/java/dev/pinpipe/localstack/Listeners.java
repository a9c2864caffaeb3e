package dev.pinpipe.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, read from Linux's {@code /proc} (what {@code ss -ltnp}
 * shows): each socket inode of {@code /proc/net/tcp[6]} in state LISTEN, matched to the processes
 * whose file descriptors hold it.
 */
public final class Listeners {

    private static final String LISTEN = "0A";

    /** One listening socket: its owner, local address and port. */
    public record Listener(long pid, String command, String address, int port) {

        public boolean loopback() {
            return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.");
        }

        @Override
        public String toString() {
            return command + " (pid " + pid + ") " + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        }
    }

    private Listeners() {
    }

    /** Every socket that one of {@code roots} or any of their descendants listens on. */
    public static List<Listener> of(List<ProcessHandle> roots) {
        Map<Long, String[]> sockets = listeningSockets();
        List<Listener> found = new ArrayList<>();
        roots.stream().flatMap(r -> Stream.concat(Stream.of(r), r.descendants())).distinct().forEach(p -> {
            for (long inode : socketInodes(p.pid())) {
                String[] local = sockets.get(inode);
                if (local != null) {
                    found.add(new Listener(p.pid(), command(p), local[0], Integer.parseInt(local[1])));
                }
            }
        });
        return found;
    }

    /** Inode → {address, port} of every listening TCP socket of this host. */
    private static Map<Long, String[]> listeningSockets() {
        Map<Long, String[]> sockets = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals(LISTEN)) {
                        String[] hostPort = f[1].split(":");
                        sockets.put(Long.parseLong(f[9]), new String[] {address(hostPort[0]), Integer.toString(Integer.parseInt(hostPort[1], 16))});
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table + " (Linux only)", e);
            }
        }
        return sockets;
    }

    /** /proc/net's hex address: 4 bytes (IPv4) or 16 bytes (IPv6), each 32-bit word in host (little-endian) order. */
    static String address(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        boolean v4Mapped = true;
        for (int i = 0; i < 10; i++) {
            v4Mapped &= b[i] == 0;
        }
        if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        try {
            String text = java.net.InetAddress.getByAddress(b).getHostAddress();
            return text.equals("0:0:0:0:0:0:0:1") ? "::1" : text.equals("0:0:0:0:0:0:0:0") ? "::" : text;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> socketInodes(long pid) {
        List<Long> inodes = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        } catch (IOException goneOrForeign) {
            // the process exited, or belongs to a user whose descriptors we may not read
        }
        return inodes;
    }

    /** The program's name; for a JVM its jar or main class (from /proc: ProcessHandle leaves long command lines out). */
    private static String command(ProcessHandle p) {
        String[] args;
        try {
            args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).split("\0");
        } catch (IOException gone) {
            return "?";
        }
        String cmd = args.length == 0 || args[0].isEmpty() ? "?" : Path.of(args[0]).getFileName().toString();
        if (cmd.equals("java")) {
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("-jar") && i + 1 < args.length) {
                    return "java " + Path.of(args[i + 1]).getFileName();
                }
                if (args[i].startsWith("dev.pinpipe.")) {
                    String serve = i + 2 < args.length && args[i + 1].equals("--serve") ? " --serve " + args[i + 2] : "";
                    return "java " + args[i].substring(args[i].lastIndexOf('.') + 1) + serve;
                }
            }
        }
        return cmd;
    }
}
