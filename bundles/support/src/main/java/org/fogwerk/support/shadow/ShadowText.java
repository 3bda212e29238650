package org.fogwerk.support.shadow;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.fogwerk.api.shadow.ShadowException;

/**
 * The rules of the AWS IoT Device Shadow service for the text of a request, in one place for the
 * shadow store and everything that reads requests for it (the write gateway, the {@code $aws}
 * topics, the command topic): a document is UTF-8, and a clientToken has at most 64 bytes.
 */
public final class ShadowText {

    /** The longest clientToken the service takes. */
    public static final int MAX_CLIENT_TOKEN_BYTES = 64;

    private ShadowText() {
    }

    /**
     * Why a clientToken is not taken, or {@code null} when it is (or there is none). The refusal
     * does not echo the token: it is the thing that is wrong.
     */
    public static String clientTokenRefusal(String clientToken) {
        if (clientToken == null) {
            return null;
        }
        int bytes = clientToken.getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_CLIENT_TOKEN_BYTES
                ? "clientToken: " + bytes + " bytes, longer than " + MAX_CLIENT_TOKEN_BYTES + " bytes" : null;
    }

    /** Refuses (400) a clientToken the service does not take. */
    public static void checkClientToken(String clientToken) throws ShadowException {
        String why = clientTokenRefusal(clientToken);
        if (why != null) {
            throw new ShadowException(400, why, null);
        }
    }

    /** The text of a request; 415 naming the first bad byte when it is not UTF-8. */
    public static String utf8(byte[] request) throws ShadowException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(request);
        CharBuffer out = CharBuffer.allocate(request.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new ShadowException(415, "Unsupported documented encoding; supported encoding is UTF-8 (bad byte at"
                    + " offset " + in.position() + ")", null);
        }
        try {
            decoder.flush(out);
        } catch (RuntimeException e) {
            throw new ShadowException(415, "Unsupported documented encoding; supported encoding is UTF-8", null);
        }
        out.flip();
        return out.toString();
    }
}
