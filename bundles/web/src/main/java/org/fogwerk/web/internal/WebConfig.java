package org.fogwerk.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The REST API's own settings, {@code etc/org.fogwerk.web.cfg} (optional). The port, bind
 * address and HTTPS are Pax Web's: {@code etc/org.ops4j.pax.web.cfg}.
 */
@ObjectClassDefinition(name = "Fogwerk HTTP", description = "Authentication, sessions and limits of the REST API")
@interface WebConfig {

    @AttributeDefinition(description = "JAAS realm that checks user names and passwords (the shell's realm)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Minutes a browser session lives without a request", min = "1")
    int session_timeout() default 30;

    @AttributeDefinition(description = "Most browser sessions at once; when they are open, a login of a user"
            + " without one of them is refused with 503 (no other user's session is ended for it)", min = "1")
    int session_max() default 1000;

    @AttributeDefinition(description = "Most browser sessions of one user at once; a login beyond them ends that"
            + " user's session unused the longest", min = "1")
    int session_max_per_user() default 10;

    @AttributeDefinition(description = "Largest request body in bytes; larger ones get 413", min = "1")
    int body_limit() default 65536;

    @AttributeDefinition(description = "Values that may wait for one Server-Sent Events client; a slower client loses the rest (counted)", min = "1")
    int events_queue() default 10000;

    @AttributeDefinition(description = "Most Server-Sent Events clients at once", min = "1")
    int events_clients() default 16;

    @AttributeDefinition(description = "Seconds a flush of an uplink may take before the request answers 504", min = "1")
    int flush_timeout() default 30;

    @AttributeDefinition(description = "Take credentials over plain HTTP from other machines too (false: only over"
            + " HTTPS, or from this box), for a network that is encrypted on the way, such as a TLS proxy")
    boolean plain_http_remote() default false;
}
