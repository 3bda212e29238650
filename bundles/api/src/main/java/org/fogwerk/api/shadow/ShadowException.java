package org.fogwerk.api.shadow;

/**
 * A refused shadow request, with the error code of the AWS IoT Device Shadow service
 * (400, 404, 409, 413, 415, 429, 500) and its message.
 */
public class ShadowException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String clientToken;

    public ShadowException(int code, String message, String clientToken) {
        super(message);
        this.code = code;
        this.clientToken = clientToken;
    }

    public int code() {
        return code;
    }

    /** The client token of the refused request, or {@code null}. */
    public String clientToken() {
        return clientToken;
    }
}
