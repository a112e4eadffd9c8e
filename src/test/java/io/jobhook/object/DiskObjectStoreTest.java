package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The object store contract on local disk. */
class DiskObjectStoreTest extends ObjectStoreContract {

  @Override
  BlobStore openBlobs(Path dir) throws Exception {
    return new DiskBlobStore(dir.resolve("objects"));
  }

  @Override
  void leaveUnfinishedWrite() throws Exception {
    Files.write(dir.resolve("objects/tmp/put-123.part"), new byte[100]);
  }

  @Test
  void an_upload_still_being_written_after_the_cutoff_is_left_alone() throws Exception {
    Instant cutoff = Instant.now().plusSeconds(1);
    Path fresh = Files.write(dir.resolve("objects/tmp/put-456.part"), new byte[100]);
    Files.setLastModifiedTime(fresh, FileTime.from(cutoff.plusSeconds(60)));
    assertThat(store.sweepOrphans(cutoff)).isZero();
    assertThat(Files.exists(fresh)).isTrue();
  }
}
