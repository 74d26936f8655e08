package dev.cairn.internal.index;

import dev.cairn.object.ObjectType;

/** Where the index says an object is: a pack and a place inside it. */
public record ObjectLocation(String packName, ObjectType type, long blockOffset, int blockLength, int offsetInBlock, int length) {}
