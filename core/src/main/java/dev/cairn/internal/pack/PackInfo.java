package dev.cairn.internal.pack;

import java.nio.file.Path;
import java.util.List;

/** A published pack: its name (hex hash of its index section), file, sorted entries and size. */
public record PackInfo(String name, Path path, List<PackEntry> entries, long sizeBytes) {}
