package org.fogwerk.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultPasswordWarningTest {

    @TempDir
    Path etc;

    private Path users(String content) throws IOException {
        return Files.writeString(etc.resolve("users.properties"), content);
    }

    @Test
    void recognisesTheShippedAdministratorPassword() throws IOException {
        assertTrue(DefaultPasswordWarning.stillShipped(users("admin = admin,_g_:admingroup\n")));
        assertTrue(DefaultPasswordWarning.stillShipped(users("admin=admin\n")));
        // as the node stores it after the first login: its SHA-256 digest
        assertTrue(DefaultPasswordWarning.stillShipped(users("admin = {CRYPT}8c6976e5b5410415bde908bd4dee15dfb167a9c873fc"
                + "4bb8a81f6f2ab448a918{CRYPT},_g_:admingroup\n")));
        assertTrue(DefaultPasswordWarning.stillShipped(users("admin = {CRYPT}8C6976E5B5410415BDE908BD4DEE15DFB167A9C873FC"
                + "4BB8A81F6F2AB448A918{CRYPT},_g_:admingroup\n")));
    }

    @Test
    void staysQuietOnceThePasswordIsChangedOrTheAccountIsGone() throws IOException {
        assertFalse(DefaultPasswordWarning.stillShipped(users("admin = s3cret-Press,_g_:admingroup\n")));
        assertFalse(DefaultPasswordWarning.stillShipped(users("admin = {CRYPT}8c6976e5b54{CRYPT},_g_:admingroup\n")));
        assertFalse(DefaultPasswordWarning.stillShipped(users("operator = admin,_g_:admingroup\n")));
        assertFalse(DefaultPasswordWarning.stillShipped(etc.resolve("missing.properties")));
    }

    @Test
    void aUsersFileJustWrittenIsReadAgainOnceItSettled() throws IOException {
        Path file = users("admin = admin,_g_:admingroup\n");
        assertTrue(DefaultPasswordWarning.beingWritten(file), "written a moment ago: Karaf may still be writing it");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        assertFalse(DefaultPasswordWarning.beingWritten(file));
        assertFalse(DefaultPasswordWarning.beingWritten(etc.resolve("missing.properties")));
    }
}
