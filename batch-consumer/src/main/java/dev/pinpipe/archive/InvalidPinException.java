package dev.pinpipe.archive;

import dev.pinpipe.core.FieldError;
import java.util.List;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

/**
 * Why a record was dead-lettered; its message is the reason in the DLT's {@code kafka_dlt-exception-message}.
 * A {@link ListenerExecutionFailedException} carrying the group, because that is what makes the recoverer
 * add {@code kafka_dlt-original-consumer-group}; no cause, so the message header is the reason alone.
 */
final class InvalidPinException extends ListenerExecutionFailedException {

    /** At most this many problems are listed: a hostile pin can have thousands, and the reason travels in a header. */
    static final int MAX_ERRORS = 20;
    /** And at most this many chars of reason. */
    static final int MAX_REASON_CHARS = 4000;

    InvalidPinException(String reason, String groupId) {
        super(cap(reason), groupId, null);
    }

    /** The validator's problems as one line: {@code field: message; field: message …}. */
    static String reason(List<FieldError> errors) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(errors.size(), MAX_ERRORS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(errors.get(i).field()).append(": ").append(errors.get(i).message());
        }
        if (errors.size() > shown) {
            out.append("; and ").append(errors.size() - shown).append(" more");
        }
        return out.toString();
    }

    static String cap(String reason) {
        if (reason.length() <= MAX_REASON_CHARS) {
            return reason;
        }
        int end = MAX_REASON_CHARS - 3;
        if (Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--; // never half a pair
        }
        return reason.substring(0, end) + "...";
    }

    /** No stack trace: it is never written (the DLT gets no stack trace header) and poison should stay cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
