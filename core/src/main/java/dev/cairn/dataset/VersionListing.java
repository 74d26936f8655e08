package dev.cairn.dataset;

import java.util.List;

/**
 * Version records as a listing read them, oldest first, with the versions whose record could not
 * be read (damaged: {@code fsck} reports them and {@code fsck --repair} rebuilds closed ones).
 *
 * @param records the records read
 * @param unreadable ids of the records that could not be parsed, in no particular order; they are
 *     not in {@code records}, whatever the listing's filters
 */
public record VersionListing(List<DatasetRecord> records, List<String> unreadable) {
  public VersionListing {
    records = List.copyOf(records);
    unreadable = List.copyOf(unreadable);
  }
}
