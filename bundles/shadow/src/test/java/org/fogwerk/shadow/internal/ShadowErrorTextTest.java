package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.fogwerk.api.shadow.ShadowException;
import org.junit.jupiter.api.Test;

/** The store's refusals read as AWS IoT's, and JSON mistakes name line, column and what was expected. */
class ShadowErrorTextTest {

    private final ShadowDocuments docs = new ShadowDocuments(8 * 1024, 6);

    private ShadowException refusal(String json) {
        return assertThrows(ShadowException.class, () -> docs.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnclosedObjectSaysWhereAndWhatWasExpected() {
        ShadowException e = refusal("{\"state\":{\"desired\":{\"sp\":250}}");
        assertEquals(400, e.code());
        assertEquals("Invalid JSON: the text ends too early at line 1, column 32: expected ',' or '}'", e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
    }

    @Test
    void aMissingQuoteAndAnUnknownWordAreNamed() {
        assertEquals("Invalid JSON: unexpected 's' at line 1, column 3: expected a field name in double quotes",
                refusal("{ state: 1 }").getMessage());
        ShadowException e = refusal("{\n  \"state\": {\"desired\": {\"on\": yes}}\n}");
        assertEquals("Invalid JSON: unknown word 'yes' at line 2, column 34: expected a value (a string in double quotes,"
                + " a number, an object, an array, true, false or null)", e.getMessage());
    }

    @Test
    void theServiceTextsAreAwsIoTs() {
        assertEquals("Missing required node: state", refusal("{\"version\":1}").getMessage());
        assertEquals("State node must be an object", refusal("{\"state\":1}").getMessage());
        ShadowException e = refusal("{\"state\":{\"wanted\":{}}}");
        assertEquals(400, e.code());
        assertEquals("State contains an invalid node: 'wanted' (only desired and reported are allowed)", e.getMessage());
    }
}
