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

    @AttributeDefinition(description = "How often what the journal holds is chained into the trail and what was "
            + "written forced to disk, in ms. An entry is on record (and survives the node being killed) before the "
            + "write it records; 0 writes and forces every entry to disk before that write, without the journal, so "
            + "it survives a power cut too, at the cost of one disk sync per write (concurrent writes share one)")
    long sync_interval_ms() default 100;

    @AttributeDefinition(description = "How long, in ms, an entry may wait to be written; beyond this the append "
            + "fails (and the write it records is refused)")
    long wait_ms() default 5000;
}
