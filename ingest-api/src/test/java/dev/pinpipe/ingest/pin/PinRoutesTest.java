package dev.pinpipe.ingest.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.kafka.PinPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;

/** The fast lookup takes only the pin requests it answers exactly like the general one; the rest falls through. */
class PinRoutesTest {

    private final PinRoutes routes;

    PinRoutesTest() throws NoSuchMethodException {
        IngestProperties properties = new IngestProperties("PinterestTopic", DataSize.ofMegabytes(1), DataSize.ofMegabytes(16),
                10_000, Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(2), null, null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // the publisher is never called here: routing only
        routes = new PinRoutes(new PinController(new PinPublisher(null, properties, meters), properties, meters));
    }

    @Test
    void pinRequestsGoStraightToTheController() throws Exception {
        assertThat(handler("POST", "/pin", "application/json", null)).isEqualTo("postPin");
        assertThat(handler("POST", "/pin/", "application/json;charset=UTF-8", "*/*")).isEqualTo("postPin");
        assertThat(handler("POST", "/pins", "application/json", "application/json")).isEqualTo("postPins");
        assertThat(handler("POST", "/pins/", "application/x-ndjson", null)).isEqualTo("postPins");
    }

    @Test
    void everythingElseIsLeftToTheGeneralLookup() throws Exception {
        assertThat(handler("GET", "/pin", "application/json", null)).isNull();          // 405 from the general lookup
        assertThat(handler("POST", "/pin", "text/plain", null)).isNull();               // 415
        assertThat(handler("POST", "/pin", null, null)).isNull();                       // 415
        assertThat(handler("POST", "/pin", "application/x-ndjson", null)).isNull();     // /pin takes JSON only
        assertThat(handler("POST", "/pin", "not a type", null)).isNull();
        assertThat(handler("POST", "/pin", "application/json", "text/html")).isNull();  // 406
        assertThat(handler("POST", "/pinx", "application/json", null)).isNull();
        assertThat(handler("POST", "/actuator/health", "application/json", null)).isNull();
    }

    @Test
    void theFastPathTakesOnlyWhatThisRouteSendsToPostPin() throws Exception {
        for (String[] r : new String[][] {
                {"POST", "/pin", "application/json", null}, {"POST", "/pin/", "application/json;charset=UTF-8", "*/*"},
                {"POST", "/pin", "text/plain", null}, {"POST", "/pin", null, null}, {"POST", "/pin", "not a type", null},
                {"POST", "/pin", "application/json", "text/html"}, {"GET", "/pin", "application/json", null},
                {"POST", "/pins", "application/json", null}, {"POST", "/pinx", "application/json", null}}) {
            assertThat(PinRoutes.isPinPost(request(r[0], r[1], r[2], r[3])))
                    .as(String.join(" ", r[0], r[1], String.valueOf(r[2]), String.valueOf(r[3])))
                    .isEqualTo("postPin".equals(handler(r[0], r[1], r[2], r[3])));
        }
    }

    @Test
    void theFastPathLeavesAnotherCharsetThanUtf8ToTheControllersRefusal() throws Exception {
        for (String type : new String[] {"application/json;charset=UTF-16", "application/json; charset=latin1"}) {
            assertThat(handler("POST", "/pin", type, null)).as(type).isEqualTo("postPin"); // which answers 415
            assertThat(PinRoutes.isPinPost(request("POST", "/pin", type, null))).as(type).isFalse();
        }
        assertThat(PinRoutes.isPinPost(request("POST", "/pin", "application/json;charset=utf-8", null))).isTrue();
        // a charset Java does not know makes the type unparseable: the general lookup's 415
        assertThat(handler("POST", "/pin", "application/json;charset=nonsense", null)).isNull();
        assertThat(PinRoutes.isPinPost(request("POST", "/pin", "application/json;charset=nonsense", null))).isFalse();
    }

    private String handler(String method, String path, String contentType, String accept) throws Exception {
        HandlerExecutionChain chain = routes.getHandler(request(method, path, contentType, accept));
        return chain == null ? null : ((HandlerMethod) chain.getHandler()).getMethod().getName();
    }

    private static MockHttpServletRequest request(String method, String path, String contentType, String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        return request;
    }
}
