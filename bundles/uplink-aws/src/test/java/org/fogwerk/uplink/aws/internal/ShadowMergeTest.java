package org.fogwerk.uplink.aws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class ShadowMergeTest {

    private static ObjectNode state(String json) throws Exception {
        return ShadowMerge.stateOf(ShadowJson.MAPPER.readTree("{\"state\":" + json.replace('\'', '"') + "}"));
    }

    @Test
    void oneSideChangedTakesThatSideBothChangedTakesReportedLocalAndDesiredCloud() throws Exception {
        ObjectNode base = state("{'desired':{'t':1,'m':'a','n':{'x':1,'y':1}},'reported':{'s':1,'o':1}}");
        ObjectNode local = state("{'desired':{'t':2,'m':'a','n':{'x':2,'y':1}},'reported':{'s':2,'o':1,'l':1}}");
        ObjectNode cloud = state("{'desired':{'t':3,'m':'b','n':{'x':1,'y':3}},'reported':{'s':3}}");
        ObjectNode merged = ShadowMerge.merge(base, local, cloud);
        assertEquals(state("{'desired':{'t':3,'m':'b','n':{'x':2,'y':3}},'reported':{'s':2,'l':1}}"), merged);
    }

    @Test
    void numbersCompareByValueAndEqualSidesNeedNoUpdate() throws Exception {
        ObjectNode a = state("{'reported':{'v':1,'list':[1,2]}}");
        ObjectNode b = state("{'reported':{'v':1.0,'list':[1,2]}}");
        assertTrue(ShadowMerge.patch(a, b).isEmpty());
        assertTrue(ShadowMerge.same(a, b));
    }

    @Test
    void thePatchSetsChangedFieldsAndNullsRemovedOnes() throws Exception {
        ObjectNode from = state("{'desired':{'a':1,'n':{'x':1,'y':2}},'reported':{'r':1}}");
        ObjectNode to = state("{'desired':{'a':1,'n':{'x':1},'b':[1]},'reported':{'r':1}}");
        ObjectNode patch = ShadowMerge.patch(from, to);
        assertEquals(ShadowJson.MAPPER.readTree("{\"desired\":{\"n\":{\"y\":null},\"b\":[1]}}"), patch);
        assertNull(patch.get("reported"));
    }

    @Test
    void aFieldRemovedOnOneSideAndUnchangedOnTheOtherIsRemoved() throws Exception {
        ObjectNode base = state("{'reported':{'a':1,'b':2}}");
        ObjectNode merged = ShadowMerge.merge(base, state("{'reported':{'b':2}}"), state("{'reported':{'a':1,'b':2}}"));
        assertEquals(state("{'reported':{'b':2}}"), merged);
        assertTrue(ShadowMerge.isEmpty(ShadowMerge.merge(base, ShadowMerge.empty(), base)));
    }
}
