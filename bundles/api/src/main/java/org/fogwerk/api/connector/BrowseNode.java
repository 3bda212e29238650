package org.fogwerk.api.connector;

/**
 * One entry of a machine's address space, for protocols that can be browsed.
 *
 * @param nodeId      the address to read, write or browse further
 * @param browseName  the name the machine gives it
 * @param nodeClass   object, variable, method ...
 * @param dataType    the data type of a variable, empty otherwise
 * @param accessLevel r, rw or empty
 * @param hasChildren whether browsing it can return more nodes
 */
public record BrowseNode(String nodeId, String browseName, String nodeClass, String dataType, String accessLevel,
        boolean hasChildren) {
}
