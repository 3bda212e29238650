package org.fogwerk.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.fogwerk.api.NodeIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeIdPropertyTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(NodeIdentity.PROPERTY);
        System.clearProperty(NodeIdentity.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(NodeIdentity.PROPERTY);
        } else {
            System.setProperty(NodeIdentity.PROPERTY, before);
        }
    }

    @Test
    void theNodeIdOfCustomPropertiesBecomesASystemPropertyForConfigEdit() {
        NodeIdProperty.mirror(Map.of(NodeIdentity.PROPERTY, "line2")::get);
        assertEquals("line2", System.getProperty(NodeIdentity.PROPERTY));

        // the framework property wins over a different system property, as it does for the node's bundles
        NodeIdProperty.mirror(Map.of(NodeIdentity.PROPERTY, "line3")::get);
        assertEquals("line3", System.getProperty(NodeIdentity.PROPERTY));
    }

    @Test
    void aNodeWithoutAnIdSetsNothing() {
        NodeIdProperty.mirror(Map.<String, String>of()::get);
        assertNull(System.getProperty(NodeIdentity.PROPERTY));
        NodeIdProperty.mirror(Map.of(NodeIdentity.PROPERTY, " ")::get);
        assertNull(System.getProperty(NodeIdentity.PROPERTY));
    }
}
