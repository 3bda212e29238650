package org.fogwerk.support.table;

import org.apache.karaf.shell.support.table.ShellTable;

/** Declares a shell table's columns by their headers: text reads from the left, numbers line up on the right. */
public final class Columns {

    private Columns() {
    }

    /** Adds columns of text, aligned left, in this order. */
    public static void text(ShellTable table, String... headers) {
        for (String header : headers) {
            table.column(header);
        }
    }

    /** Adds columns of counts, rates and durations, aligned right, in this order. */
    public static void numbers(ShellTable table, String... headers) {
        for (String header : headers) {
            table.column(header).alignRight();
        }
    }
}
