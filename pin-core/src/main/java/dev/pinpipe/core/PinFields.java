package dev.pinpipe.core;

import java.util.List;

/** The JSON field names of the pin contract (docs/pin-contract.md §1), the only place they are spelled. */
public final class PinFields {
    public static final String INDEX = "index";
    public static final String UNIQUE_ID = "unique_id";
    public static final String CATEGORY = "category";
    public static final String TITLE = "title";
    public static final String DESCRIPTION = "description";
    public static final String FOLLOWER_COUNT = "follower_count";
    public static final String TAG_LIST = "tag_list";
    public static final String IS_IMAGE_OR_VIDEO = "is_image_or_video";
    public static final String IMAGE_SRC = "image_src";
    public static final String DOWNLOADED = "downloaded";
    public static final String SAVE_LOCATION = "save_location";

    /** Every contract field, in the order of the contract table. */
    public static final List<String> ALL = List.of(INDEX, UNIQUE_ID, CATEGORY, TITLE, DESCRIPTION, FOLLOWER_COUNT,
            TAG_LIST, IS_IMAGE_OR_VIDEO, IMAGE_SRC, DOWNLOADED, SAVE_LOCATION);

    /** The pseudo-field a problem with the whole body is reported under. */
    public static final String BODY = "body";

    private PinFields() {
    }
}
