package dev.cairn.storage;

/** A file on a remote: its name relative to the root, and its size. */
public record RemoteFile(String name, long size) {}
