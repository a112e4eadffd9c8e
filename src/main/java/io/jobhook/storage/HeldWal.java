package io.jobhook.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Keeps the WAL open between syncs, so that a sync needs no new file descriptor: a process that has
 * run out of them (a flood of connections) can still make its commits durable. SQLite deletes the
 * WAL when its last connection closes and creates a new one later; each sync compares the file's
 * identity (a stat, no descriptor) with the handle's and reopens when they differ.
 */
final class HeldWal implements WalSync, Closeable {
  private FileChannel channel;
  private Object channelFile;

  @Override
  public synchronized void sync(Path wal) throws IOException {
    Object file;
    try {
      file = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      // no WAL: its last connection closed, which checkpointed it into the synced database file
      close();
      return;
    }
    if (channel == null || !file.equals(channelFile)) {
      close();
      try {
        channel = FileChannel.open(wal, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException e) {
        throw new Unavailable(e);
      }
      // the file we opened may already have been replaced: then sync the new one next time
      channelFile = file;
    }
    channel.force(false);
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // a descriptor we are done with
      }
      channel = null;
      channelFile = null;
    }
  }
}
