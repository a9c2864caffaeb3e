package dev.pinpipe.ingest.pin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * Finds {@link PinController}'s handler for the common case of a pin request in one map lookup:
 * {@code POST} to exactly {@code /pin}, {@code /pin/}, {@code /pins} or {@code /pins/} with a content type
 * the endpoint consumes and an {@code Accept} that takes JSON. The general lookup (asked after this one)
 * first tried the actuator's mappings, which miss every pin, then matched the controller's conditions,
 * a visible share of the CPU per pin (docs/performance.md). Any other request (another method or content type, an unusual
 * {@code Accept}) is left to the general lookup, so its answers (405, 415, 406) stay Spring's own.
 */
@Component
final class PinRoutes extends AbstractHandlerMapping {

    private static final Set<MediaType> PRODUCES = Set.of(MediaType.APPLICATION_JSON);
    private static final MediaType NDJSON = MediaType.parseMediaType(PinController.NDJSON);

    private final HandlerMethod postPin;
    private final HandlerMethod postPins;
    private final Map<String, HandlerMethod> byPath;

    PinRoutes(PinController controller) throws NoSuchMethodException {
        this.postPin = new HandlerMethod(controller, PinController.class.getMethod("postPin", HttpServletRequest.class, HttpServletResponse.class));
        this.postPins = new HandlerMethod(controller, PinController.class.getMethod("postPins", HttpServletRequest.class));
        this.byPath = Map.of("/pin", postPin, "/pin/", postPin, "/pins", postPins, "/pins/", postPins);
        setOrder(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    protected Object getHandlerInternal(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !request.getContextPath().isEmpty()) {
            return null;
        }
        HandlerMethod handler = byPath.get(request.getRequestURI());
        if (handler == null || !consumes(handler, request.getContentType()) || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            return null;
        }
        // what the general lookup records for the controller's `produces`, which the JSON writer reads
        request.setAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE, PRODUCES);
        return handler;
    }

    /** A request this lookup sends to {@code postPin}: what {@link PinFastPath} may answer itself. */
    static boolean isPinPost(HttpServletRequest request) {
        String contentType = request.getContentType();
        return "POST".equals(request.getMethod()) && request.getContextPath().isEmpty()
                && ("/pin".equals(request.getRequestURI()) || "/pin/".equals(request.getRequestURI()))
                // the plain type without parsing it (parsing costs more than the match); another
                // charset than UTF-8 is left to the controller's 415
                && (MediaType.APPLICATION_JSON_VALUE.equals(contentType) || isUtf8Json(contentType))
                && acceptsJson(request.getHeader(HttpHeaders.ACCEPT));
    }

    private boolean consumes(HandlerMethod handler, String contentType) {
        return isJson(contentType) || (handler == postPins && isNdjson(contentType));
    }

    private static boolean isJson(String contentType) {
        MediaType type = parse(contentType);
        return type != null && MediaType.APPLICATION_JSON.includes(type);
    }

    private static boolean isUtf8Json(String contentType) {
        MediaType type = parse(contentType);
        return type != null && MediaType.APPLICATION_JSON.includes(type) && JsonContentType.isUtf8(type);
    }

    private static boolean isNdjson(String contentType) {
        MediaType type = parse(contentType);
        return type != null && NDJSON.includes(type);
    }

    private static MediaType parse(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean acceptsJson(String accept) {
        return accept == null || accept.equals("*/*") || accept.equals(MediaType.APPLICATION_JSON_VALUE);
    }
}
