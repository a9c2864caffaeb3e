package dev.pinpipe.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's open-loop fixed-rate load: request {@code i} is due at {@code start + i / rate}
 * whatever the API does, and its latency is counted from that due time (so a slow answer that delays
 * later requests shows as their latency too: no coordinated omission). {@code connections} keep-alive
 * connections, one blocking socket and one thread each, with the HTTP/1.1 request bytes written by hand
 * and the answer read by its Content-Length (or chunks): the JDK HttpClient spent more of the shared
 * cores per request than the API under test, which showed up as client-made latency.
 * Each request posts a pool pin with a fresh unique_id (the topic is keyed by it).
 */
final class FixedRateLoad {

    /** What a run measured; latencies in milliseconds from the due time. */
    record Result(
            long sent, long ok, long non2xx, long errors,
            @JsonProperty("elapsed_seconds") double elapsedSeconds,
            @JsonProperty("requests_per_second") double requestsPerSecond,
            @JsonProperty("acked_per_second") double ackedPerSecond,
            @JsonProperty("p50_ms") double p50Millis,
            @JsonProperty("p90_ms") double p90Millis,
            @JsonProperty("p99_ms") double p99Millis,
            @JsonProperty("p999_ms") double p999Millis,
            @JsonProperty("max_ms") double maxMillis) {
    }

    private final InetSocketAddress address;
    private final byte[] head;
    private final PinSource pins;
    private final double rate;
    private final int connections;

    /** A load that sends the API key of the environment ({@link ApiKeyHeader}), if any. */
    FixedRateLoad(URI api, PinSource pins, double rate, int connections) {
        this(api, pins, rate, connections, ApiKeyHeader.fromEnvironment());
    }

    /** @param apiKey sent as {@code X-API-Key} when present */
    FixedRateLoad(URI api, PinSource pins, double rate, int connections, Optional<String> apiKey) {
        if (rate <= 0 || connections < 1) {
            throw new IllegalArgumentException("rate must be above 0 and connections 1 or more");
        }
        int port = api.getPort() > 0 ? api.getPort() : 80;
        this.address = new InetSocketAddress(api.getHost(), port);
        String base = api.getPath() == null ? "" : api.getPath().replaceAll("/+$", "");
        this.head = ("POST " + base + "/pin HTTP/1.1\r\nHost: " + api.getHost() + ":" + port
                + "\r\nContent-Type: application/json\r\n"
                + apiKey.map(key -> ApiKeyHeader.NAME + ": " + key + "\r\n").orElse("")
                + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
        this.pins = pins;
        this.rate = rate;
        this.connections = connections;
    }

    /** Sends every request due within {@code duration}, then waits for the last answers. */
    Result run(Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long count = (long) (duration.toNanos() / 1e9 * rate);
        AtomicLong next = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Worker worker = new Worker(start, count, next);
            Thread thread = new Thread(worker, "fixed-rate-" + c);
            thread.setDaemon(true);
            workers.add(worker);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(3);
        long ok = 0;
        long non2xx = 0;
        long errors = 0;
        for (Worker worker : workers) {
            all.add(worker.latencies);
            ok += worker.ok;
            non2xx += worker.non2xx;
            errors += worker.errors;
        }
        long sent = ok + non2xx + errors;
        return new Result(sent, ok, non2xx, errors, seconds, sent / seconds, ok / seconds,
                millis(all.getValueAtPercentile(50)), millis(all.getValueAtPercentile(90)),
                millis(all.getValueAtPercentile(99)), millis(all.getValueAtPercentile(99.9)),
                millis(all.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    /** One connection: claims the next due request, sleeps till it is due, sends it, reads the answer. */
    private final class Worker implements Runnable {

        private final long start;
        private final long count;
        private final AtomicLong next;
        /** microseconds from due to answered */
        final Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        long ok;
        long non2xx;
        long errors;
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private byte[] request = new byte[4096];

        Worker(long start, long count, AtomicLong next) {
            this.start = start;
            this.count = count;
            this.next = next;
        }

        @Override
        public void run() {
            try {
                for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long due = start + (long) (i * 1e9 / rate);
                    sleepUntil(due);
                    int length = request(pins.pin(i));
                    int status;
                    try {
                        status = exchange(length);
                    } catch (IOException e) {
                        status = -1;
                        close();
                    }
                    latencies.recordValue(Math.min(latencies.getHighestTrackableValue(),
                            Math.max(1, (System.nanoTime() - due) / 1000)));
                    if (status >= 200 && status < 300) {
                        ok++;
                    } else if (status > 0) {
                        non2xx++;
                    } else {
                        errors++;
                    }
                }
            } finally {
                close();
            }
        }

        /** Writes head + Content-Length + body into {@link #request}; returns its length. */
        private int request(byte[] body) {
            byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            int total = head.length + length.length + body.length;
            if (total > request.length) {
                request = new byte[Math.max(total, request.length * 2)];
            }
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(length, 0, request, head.length, length.length);
            System.arraycopy(body, 0, request, head.length + length.length, body.length);
            return total;
        }

        /** Sends the request on the kept-alive connection (opening one if needed); returns the status. */
        private int exchange(int length) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                socket.connect(address, 5_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 8192);
            }
            out.write(request, 0, length);
            out.flush();
            int status = status(line());
            long contentLength = -1;
            boolean chunked = false;
            boolean closing = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    closing = value.equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                for (long chunk = Long.parseLong(line().split(";", 2)[0].trim(), 16); chunk > 0;
                        chunk = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                    skip(chunk);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (contentLength >= 0) {
                skip(contentLength);
            } else {
                closing = true; // the body runs to the end of the connection
                while (in.read() >= 0) {
                    // drain
                }
            }
            if (closing) {
                close();
            }
            return status;
        }

        private int status(String statusLine) throws IOException {
            // "HTTP/1.1 200 " or "HTTP/1.1 200 OK"
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the connection closed mid-answer");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("the connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a failed connection: nothing left to do with it
                }
                socket = null;
            }
        }

        private void sleepUntil(long due) {
            // parking, not spinning: the API under test shares the same few cores
            for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
