package org.fogwerk.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk audit trail",
        description = "The node's append-only, hash-chained audit trail (etc/org.fogwerk.audit.cfg)")
@interface AuditConfig {

    @AttributeDefinition(description = "Folder of the trail's files; empty for ${karaf.data}/fogwerk/audit")
    String folder() default "";

    @AttributeDefinition(description = "A file is closed and the next one begun before it grows past this many MiB")
    int rotate_size_mib() default 16;

    @AttributeDefinition(description = "How many files to keep, the newest; older ones are deleted at rotation. "
            + "0 keeps every file")
    int keep_files() default 0;

    @AttributeDefinition(description = "Entries that may wait for the disk; beyond this an append fails at once "
            + "(and the write it records is refused)")
    int queue_capacity() default 100_000;
}
