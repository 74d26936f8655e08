package dev.cairn.manifest;

import dev.cairn.id.ObjectId;

/**
 * A reference from an inner manifest node to a child node.
 *
 * @param firstKey the smallest path under the child
 * @param id the child node's id
 * @param endLevel the level of the largest path under the child (see {@link KeyLevel}), which
 *     decides where the parent's level closes nodes
 * @param entryCount number of entries under the child
 * @param totalBytes sum of the entries' sizes under the child
 */
public record ChildRef(String firstKey, ObjectId id, int endLevel, long entryCount, long totalBytes) {}
