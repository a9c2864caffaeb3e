package dev.pinpipe.core;

import java.util.UUID;

/** A pin after the seven rules: the data columns of {@code pins_batch}/{@code pins_stream} (lineage aside). */
public record CleanPin(
        UUID uniqueId,
        int index,
        String category,
        String title,
        String description,
        String tagList,
        Long followerCount,
        Boolean downloaded,
        String isImageOrVideo,
        String imageSrc,
        String saveLocation) {
}
