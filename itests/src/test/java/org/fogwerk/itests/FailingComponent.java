package org.fogwerk.itests;

/**
 * The implementation of the Modbus connector component in a broken version the test builds:
 * its bundle starts, but the component FAILS to activate, as a bad build would.
 */
public final class FailingComponent {

    public FailingComponent() {
        throw new IllegalStateException("a broken build of the Modbus connector");
    }
}
