package dev.pinpipe.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the ingest API on loopback (the JDK's HTTP server) whose answers a test scripts, to
 * check the client's side of the protocol: retries, Retry-After, counting. The real API is driven
 * by ingest-api's integration tests.
 */
final class StubApi implements AutoCloseable {

    /** Decides the status of the n-th request (0-based) to a path. */
    @FunctionalInterface
    interface Script {
        int status(int n, String path, byte[] body);
    }

    private final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    /** The X-API-Key of every request, in arrival order (null: none sent). */
    final List<String> apiKeys = new CopyOnWriteArrayList<>();

    StubApi(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> answer(exchange, script));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange, Script script) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        apiKeys.add(exchange.getRequestHeaders().getFirst("X-API-Key"));
        int n = requests.getAndIncrement();
        String path = exchange.getRequestURI().getPath();
        int status = script.status(n, path, body);
        String answer;
        if (status == 200 && path.startsWith("/pins")) {
            int pins = count(body);
            answer = "{\"accepted\":" + pins + ",\"rejected\":0,\"results\":[]}";
        } else if (status == 200) {
            answer = "{\"unique_id\":\"x\",\"topic\":\"PinterestTopic\",\"partition\":0,\"offset\":" + n + "}";
        } else {
            answer = "{\"status\":" + status + "}";
            if (status == 503) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Top-level objects in a JSON array of pins (the generator's pins hold no nested objects). */
    private static int count(byte[] body) {
        int pins = 0;
        for (byte b : body) {
            if (b == '{') {
                pins++;
            }
        }
        return pins;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
