package dev.pinpipe.core;

import java.util.UUID;

/**
 * A raw pin that passed validation: the contract of docs/pin-contract.md §1.
 *
 * <p>The optional fields keep their raw text exactly as posted, still dirty: a JSON string is its
 * value, any other JSON scalar its JSON text (so {@code "downloaded": 1} is {@code "1"}), null when
 * absent or null. That is the same text Spark's JSON reader gives a string column, so the rules see
 * the same input in both forms.
 */
public record Pin(
        int index,
        UUID uniqueId,
        String category,
        String title,
        String description,
        String followerCount,
        String tagList,
        String isImageOrVideo,
        String imageSrc,
        String downloaded,
        String saveLocation) {
}
