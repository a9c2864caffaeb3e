package dev.pinpipe.deploy;

import java.util.Optional;
import java.util.regex.Pattern;

/** An image reference {@code [registry/]name[:tag][@digest]}, and whether it names one fixed release. */
record ImageRef(String name, Optional<String> tag, Optional<String> digest) {

    /** A release tag names a version (x.y…) or a dated release; "17", "jre" or "latest" move. */
    private static final Pattern RELEASE_TAG = Pattern.compile("v?\\d+\\.\\d+.*|RELEASE\\.\\d{4}-.*");

    static ImageRef parse(String ref) {
        String rest = ref;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            return new ImageRef(rest.substring(0, colon), Optional.of(rest.substring(colon + 1)), digest);
        }
        return new ImageRef(rest, Optional.empty(), digest);
    }

    boolean pinned() {
        return digest.isPresent() || tag.filter(t -> RELEASE_TAG.matcher(t).matches()).isPresent();
    }
}
