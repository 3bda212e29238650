package org.fogwerk.api;

/** How far a value can be trusted, in the three levels OPC UA, Sparkplug B and MES systems share. */
public enum Quality {
    GOOD,
    UNCERTAIN,
    BAD
}
