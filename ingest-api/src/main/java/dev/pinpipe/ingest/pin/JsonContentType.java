package dev.pinpipe.ingest.pin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;

/**
 * The charset a pin request's Content-Type may name: none, or UTF-8. JSON between systems is UTF-8
 * (RFC 8259); a body labelled otherwise is refused (415) rather than read as something it says it is not.
 */
public final class JsonContentType {

    private JsonContentType() {
    }

    /** Throws Spring's own 415 when the request's (already matched) Content-Type names another charset. */
    public static void requireUtf8(HttpServletRequest request, List<MediaType> supported) throws HttpMediaTypeNotSupportedException {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        if (!isUtf8(type)) {
            throw new HttpMediaTypeNotSupportedException(type, supported, HttpMethod.POST);
        }
    }

    /** True when {@code type} names no charset or UTF-8 (any spelling Java knows for it). */
    public static boolean isUtf8(MediaType type) {
        String charset = type.getParameter("charset");
        if (charset == null) {
            return true;
        }
        try {
            return Charset.forName(unquote(charset)).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // an unknown or illegal charset name
            return false;
        }
    }

    /** The charset a Content-Type names, unquoted, or null. */
    public static String charset(MediaType type) {
        String charset = type.getParameter("charset");
        return charset == null ? null : unquote(charset);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
