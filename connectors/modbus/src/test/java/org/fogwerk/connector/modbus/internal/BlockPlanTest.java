package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BlockPlanTest {

    private static List<TagState> tags(String spec) throws Exception {
        List<TagState> out = new ArrayList<>();
        for (TagSpec t : TestConfigs.settings("tags", spec).tags()) {
            out.add(new TagState(t));
        }
        return out;
    }

    private static String describe(List<Block> blocks) {
        List<String> s = new ArrayList<>();
        for (Block b : blocks) {
            s.add(b.unitId + "/" + b.area.label() + "/" + b.start + "+" + b.count);
        }
        return String.join(" ", s);
    }

    @Test
    void adjacentAndCloseRegistersAreMergedWithinTheLimits() throws Exception {
        List<TagState> t = tags("a,,holding,0,int16; b,,holding,1,float32; c,,holding,10,int16;"
                + "d,,holding,30,int16; e,2,holding,0,int16; f,,input,0,int16; g,,coil,0,bool; h,,coil,1999,bool;"
                + "i,,coil,2000,bool");
        assertEquals("1/holding/0+11 1/holding/30+1 2/holding/0+1 1/input/0+1 1/coil/0+1 1/coil/1999+2",
                describe(Block.plan(t, 125, 2000, 10)));
        assertEquals("1/holding/0+3 1/holding/10+1 1/holding/30+1 2/holding/0+1 1/input/0+1 1/coil/0+1"
                + " 1/coil/1999+2", describe(Block.plan(t, 125, 2000, 0)));
        assertEquals("1/holding/0+3 1/holding/10+1 1/holding/30+1 2/holding/0+1 1/input/0+1 1/coil/0+1"
                + " 1/coil/1999+2", describe(Block.plan(t, 5, 1000, 2000)));
        List<TagState> coils = tags("a,,coil,0,bool; b,,coil,3,bool; c,,coil,4,bool; d,,discrete-input,0,bool");
        assertEquals("1/coil/0+4 1/coil/4+1 1/discrete-input/0+1", describe(Block.plan(coils, 125, 4, 10)));
    }

    @Test
    void aTagIsNeverCutAndTheLimitHolds() throws Exception {
        List<TagState> t = tags("a,,input,0,float64; b,,input,3,float64; c,,input,7,string(8)");
        List<Block> blocks = Block.plan(t, 6, 2000, 10);
        assertEquals("1/input/0+4 1/input/3+4 1/input/7+4", describe(blocks));
        for (Block b : blocks) {
            assertEquals(true, b.count <= 6);
        }
    }
}
