package org.fogwerk.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

class LenientConfigTest {

    @interface Settings {
        int session_timeout() default 30;

        String realm() default "karaf";

        String _password();
    }

    /** As Declarative Services hands a configuration over: a value converts when it is asked for. */
    private static Settings typed(String timeout) {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "session_timeout" -> Integer.parseInt(timeout);
                    case "realm" -> "plant";
                    case "_password" -> throw new IllegalStateException("no value");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aValueThatDoesNotConvertIsTheKeysDefaultAndTheOthersAreAsGiven() {
        Settings lenient = LenientConfig.of(Settings.class, typed("abc"), "etc/org.fogwerk.web.cfg");
        assertEquals(30, lenient.session_timeout());
        assertEquals(30, lenient.session_timeout(), "asked again: the same, logged once");
        assertEquals("plant", lenient.realm());
        assertEquals(5, LenientConfig.of(Settings.class, typed("5"), "etc/x.cfg").session_timeout());
        // a key without a default has nothing to fall back on: its failure stays
        assertThrows(IllegalStateException.class, lenient::_password);
        assertSame(lenient, LenientConfig.of(Settings.class, lenient, "etc/org.fogwerk.web.cfg"));
    }

    @Test
    void keysAreNamedAsDeclarativeServicesNamesThem() {
        assertEquals("session.timeout", LenientConfig.key("session_timeout"));
        assertEquals(".password", LenientConfig.key("_password"));
        assertEquals("a_b", LenientConfig.key("a__b"));
        assertEquals("a-b", LenientConfig.key("a$_$b"));
    }
}
