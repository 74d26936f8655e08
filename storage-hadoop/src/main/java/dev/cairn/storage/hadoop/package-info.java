/** The Hadoop FileSystem remote (issue 4). */
package dev.cairn.storage.hadoop;
