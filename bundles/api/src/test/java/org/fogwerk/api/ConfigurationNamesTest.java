package org.fogwerk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.api.connector.spi.Connector;
import org.junit.jupiter.api.Test;

/** One rule for the names of connections, things and shadows. */
class ConfigurationNamesTest {

    @Test
    void lettersDigitsColonUnderscoreAndDashMakeAName() {
        assertNull(ConfigurationNames.checkName("press01", 128));
        assertNull(ConfigurationNames.checkName("line-2:press_A", 128));
        assertNull(ConfigurationNames.checkName("x".repeat(64), 64));
    }

    @Test
    void anythingElseIsRefusedWithTheRule() {
        String rule = " is invalid: use 1 to 64 characters of a-z, A-Z, 0-9, ':', '_' and '-'";
        assertEquals("'press 01'" + rule, ConfigurationNames.checkName("press 01", 64));
        assertEquals("'a/b'" + rule, ConfigurationNames.checkName("a/b", 64));
        assertEquals("'presse-ü'" + rule, ConfigurationNames.checkName("presse-ü", 64));
        assertEquals("''" + rule, ConfigurationNames.checkName("", 64));
        assertEquals("'null'" + rule, ConfigurationNames.checkName(null, 64));
        assertEquals("'" + "x".repeat(65) + "'" + rule, ConfigurationNames.checkName("x".repeat(65), 64));
    }

    @Test
    void theCharactersAreTheSameForEveryKindOfName() {
        for (char c : "azAZ09:_-".toCharArray()) {
            assertTrue(ConfigurationNames.isNameCharacter(c), String.valueOf(c));
        }
        for (char c : " ./#+?*é\t".toCharArray()) {
            assertFalse(ConfigurationNames.isNameCharacter(c), String.valueOf(c));
        }
    }

    @Test
    void aConnectionIdFollowsTheRuleWithItsPattern() {
        for (String id : new String[] {"press01", "a:b_c-d", "", "press 01", "x".repeat(128), "x".repeat(129)}) {
            assertEquals(id.matches(Connector.ID_PATTERN), Connector.checkId(id) == null, id);
        }
        assertEquals("'press 01' is invalid: use 1 to 128 characters of a-z, A-Z, 0-9, ':', '_' and '-'",
                Connector.checkId("press 01"));
    }
}
