package dev.pinpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.rules.RuleCases.Case;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plain-Java form of each rule against the shared table of cases. */
class RulesTest {

    static List<Case> followerCount() {
        return RuleCases.followerCount();
    }

    static List<Case> downloaded() {
        return RuleCases.downloaded();
    }

    static List<Case> text() {
        return RuleCases.text();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("followerCount")
    void followerCountRule(Case c) {
        assertThat(FollowerCountRule.clean(c.raw())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("downloaded")
    void downloadedRule(Case c) {
        assertThat(DownloadedRule.clean(c.raw())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("text")
    void textRules(Case c) {
        assertThat(TextRule.valueOf(c.rule()).clean(c.raw())).isEqualTo(c.expected());
    }
}
