package org.fogwerk.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class InvalidConfigurationExceptionTest {

    @Test
    void aBadValueNamesFileKeyValueAndReason() {
        InvalidConfigurationException e = InvalidConfigurationException.invalidValue(
                "org.fogwerk.simulator.modbus", "tag.count", -3, "must be between 1 and 10000");
        assertEquals("org.fogwerk.simulator.modbus: tag.count = -3 is invalid: must be between 1 and 10000",
                e.getMessage());
        assertEquals("org.fogwerk.simulator.modbus", e.file());
        assertEquals("tag.count", e.key());
        assertEquals("must be between 1 and 10000", e.reason());
    }

    @Test
    void aValueOfTheWrongTypeNamesFileKeyAndReason() {
        InvalidConfigurationException e = InvalidConfigurationException.invalidKey(
                "etc/org.fogwerk.connector.modbus-line2.cfg", "port", "not a whole number (For input string: \"x\")");
        assertEquals("etc/org.fogwerk.connector.modbus-line2.cfg: port is invalid: not a whole number"
                + " (For input string: \"x\")", e.getMessage());
        assertEquals("port", e.key());
    }

    @Test
    void aProblemOfTheWholeFileHasNoKey() {
        InvalidConfigurationException e = new InvalidConfigurationException("press01.cfg", null,
                "no tags configured (set tags or tags.file)");
        assertEquals("press01.cfg: no tags configured (set tags or tags.file)", e.getMessage());
        assertNull(e.key());
    }

    @Test
    void aKeyWithoutAFileReadsKeyColonReason() {
        InvalidConfigurationException e = new InvalidConfigurationException(null, "node.id", "'a/b' must not contain / + #");
        assertEquals("node.id: 'a/b' must not contain / + #", e.getMessage());
        assertNull(e.file());
    }

    @Test
    void aWordedRefusalKeepsItsLineAndItsParts() {
        InvalidConfigurationException e = InvalidConfigurationException.worded(null, "port", "must be between 1 and 65535",
                "port='0': must be between 1 and 65535");
        assertEquals("port='0': must be between 1 and 65535", e.getMessage());
        assertEquals("port", e.key());
        assertEquals("must be between 1 and 65535", e.reason());
    }
}
