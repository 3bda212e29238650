package org.fogwerk.audit.internal.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.support.shell.AnsweringAction;

/** What the audit trail's commands share: the trail, and that only an administrator reads it. */
abstract class AuditAction extends AnsweringAction {

    @Reference
    AuditTrail trail;

    @Override
    protected String role() {
        return Roles.ADMIN;
    }
}
