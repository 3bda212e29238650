package org.fogwerk.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.fogwerk.api.DataType;
import org.junit.jupiter.api.Test;

class TagCatalogTest {

    @Test
    void defaultCatalogNamesTypesPatternsAndWritableSplit() {
        List<CatalogTag> tags = TagCatalog.build(20, Pattern.parseList("sine,ramp,random,counter,state"), 4);

        assertEquals(20, tags.size());
        assertEquals(List.of("sineBoolean01", "rampInt1602", "randomInt3203", "counterUInt1604", "stateFloat05",
                "sineDouble06", "rampString07", "randomBoolean08", "counterInt1609", "stateInt3210",
                "sineUInt1611", "rampFloat12", "randomDouble13", "counterString14", "stateBoolean15",
                "sineInt1616", "setpointInt3217", "setpointUInt1618", "setpointFloat19", "setpointDouble20"),
                tags.stream().map(CatalogTag::name).toList());
        for (CatalogTag tag : tags) {
            assertEquals(TagCatalog.TYPES.get(tag.index() % 7), tag.type(), tag.name());
            assertEquals(tag.index() >= 16, tag.writable(), tag.name());
            assertEquals(tag.writable() ? Pattern.SETPOINT : Pattern.GENERATED.get(tag.index() % 5), tag.pattern());
        }
    }

    @Test
    void typesCycleInTheDocumentedOrder() {
        assertEquals(List.of(DataType.BOOLEAN, DataType.INT16, DataType.INT32, DataType.UINT16, DataType.FLOAT,
                DataType.DOUBLE, DataType.STRING), TagCatalog.TYPES);
    }

    @Test
    void patternsFollowTheConfiguredListAndNumbersGrowPastTwoDigits() {
        List<CatalogTag> tags = TagCatalog.build(120, Pattern.parseList(" counter , STATE "), 0);

        assertEquals("counterBoolean01", tags.get(0).name());
        assertEquals("stateInt1602", tags.get(1).name());
        assertEquals("counterBoolean99", tags.get(98).name());
        assertEquals("stateInt16100", tags.get(99).name());
        assertTrue(tags.stream().noneMatch(CatalogTag::writable));
    }

    @Test
    void everyTagCanBeWritable() {
        List<CatalogTag> tags = TagCatalog.build(3, Pattern.parseList("sine"), 3);

        assertEquals(List.of("setpointBoolean01", "setpointInt1602", "setpointInt3203"),
                tags.stream().map(CatalogTag::name).toList());
        assertTrue(tags.stream().allMatch(CatalogTag::writable));
        assertFalse(TagCatalog.build(3, Pattern.parseList("sine"), 0).get(2).writable());
    }

    @Test
    void unknownOrMissingPatternsAreRefused() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Pattern.parseList("sine,square"));
        assertTrue(unknown.getMessage().contains("'square'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pattern.parseList(" , "));
        assertThrows(IllegalArgumentException.class, () -> Pattern.parseList("setpoint"));
    }
}
