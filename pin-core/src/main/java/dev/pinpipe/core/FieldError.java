package dev.pinpipe.core;

/** One problem with one field of a posted pin; {@code field} is the JSON name (or {@code body}). */
public record FieldError(String field, String message) {
}
