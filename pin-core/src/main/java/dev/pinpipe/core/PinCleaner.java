package dev.pinpipe.core;

import dev.pinpipe.core.rules.DownloadedRule;
import dev.pinpipe.core.rules.FollowerCountRule;
import dev.pinpipe.core.rules.Text;
import dev.pinpipe.core.rules.TextRule;

/** Applies the seven rules (plain-Java form) to a validated pin. */
public final class PinCleaner {

    private PinCleaner() {
    }

    public static CleanPin clean(Pin pin) {
        return new CleanPin(
                pin.uniqueId(),
                pin.index(),
                Text.trim(pin.category()),
                TextRule.TITLE.clean(pin.title()),
                TextRule.DESCRIPTION.clean(pin.description()),
                TextRule.TAG_LIST.clean(pin.tagList()),
                FollowerCountRule.clean(pin.followerCount()),
                DownloadedRule.clean(pin.downloaded()),
                Text.trim(pin.isImageOrVideo()),
                TextRule.IMAGE_SRC.clean(pin.imageSrc()),
                TextRule.SAVE_LOCATION.clean(pin.saveLocation()));
    }
}
