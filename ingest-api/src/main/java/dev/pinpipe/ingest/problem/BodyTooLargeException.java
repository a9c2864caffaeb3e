package dev.pinpipe.ingest.problem;

/** The request carries more than the API reads in one request (bytes or pins): 413. */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(String message) {
        super(message);
    }
}
