package org.fogwerk.simulator.internal;

import org.fogwerk.api.DataType;

/**
 * One tag of the simulated machine, the same for every protocol.
 *
 * @param index    0-based position in the catalog
 * @param name     for example {@code sineBoolean01}
 * @param type     one of the seven simulated types
 * @param pattern  how the value changes
 * @param writable whether clients may write it (then the pattern is {@link Pattern#SETPOINT})
 */
record CatalogTag(int index, String name, DataType type, Pattern pattern, boolean writable) {
}
