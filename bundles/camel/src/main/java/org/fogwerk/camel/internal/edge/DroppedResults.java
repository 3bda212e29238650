package org.fogwerk.camel.internal.edge;

/** An endpoint that hands its results to a reading route and loses them while no route reads. */
public interface DroppedResults {

    /** Results lost because no route was reading, since the endpoint started. */
    long dropped();
}
