package dev.cairn.dataset;

import java.nio.file.Path;

/**
 * A regular file found on disk, with the attributes that tell whether it changed since it was last
 * hashed (like Git's index: size, modification and change times, inode, device).
 *
 * @param datasetPath where it goes in the dataset
 * @param file where it is on disk (the link itself when reached through a symbolic link)
 */
public record SourceFile(String datasetPath, Path file, long size, long mtimeNanos, long ctimeNanos, long inode, long device, boolean executable) {}
