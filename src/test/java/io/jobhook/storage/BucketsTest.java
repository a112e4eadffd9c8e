package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.object.BucketStore;
import io.jobhook.object.Buckets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node records a bucket's use at most once a minute, and a deleted bucket comes back with use.
 */
class BucketsTest {
  @TempDir Path dir;

  @Test
  void a_bucket_forgotten_through_another_node_is_listed_again_within_a_minute_of_its_next_use() {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    InstantSource clock = () -> now[0];
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("b.db"), null, null)) {
      Buckets thisNode = new Buckets(new JdbcBucketStore(db), clock);
      Buckets otherNode = new Buckets(new JdbcBucketStore(db), clock);
      thisNode.used("media-1250000000", "ap-chengdu");
      assertThat(names(thisNode)).containsExactly("media-1250000000");

      otherNode.forget("media-1250000000");
      now[0] = now[0].plusSeconds(30);
      thisNode.used("media-1250000000", "ap-chengdu");
      assertThat(names(thisNode)).as("recorded half a minute ago: not written again").isEmpty();

      now[0] = now[0].plus(Duration.ofSeconds(31));
      thisNode.used("media-1250000000", "ap-chengdu");
      assertThat(thisNode.list(null))
          .containsExactly(new BucketStore.Bucket("media-1250000000", "ap-chengdu", now[0]));

      thisNode.forget("media-1250000000");
      thisNode.used("media-1250000000", "ap-chengdu");
      assertThat(names(thisNode)).as("the node that deleted it records its next use").hasSize(1);
    }
  }

  @Test
  void a_record_that_fails_fails_no_request_and_is_tried_again_at_the_next_use() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("f.db"), null, null)) {
      JdbcBucketStore real = new JdbcBucketStore(db);
      int[] failuresLeft = {1};
      BucketStore failingOnce =
          new BucketStore() {
            @Override
            public void used(String bucket, String region, Instant at) {
              if (failuresLeft[0]-- > 0) {
                throw new Database.StorageException(new java.sql.SQLException("disk full"));
              }
              real.used(bucket, region, at);
            }

            @Override
            public java.util.List<Bucket> list(String region) {
              return real.list(region);
            }

            @Override
            public boolean forget(String bucket) {
              return real.forget(bucket);
            }
          };
      Buckets buckets = new Buckets(failingOnce, InstantSource.system());
      buckets.used("media-1250000000", "ap-chengdu");
      assertThat(names(buckets)).isEmpty();
      buckets.used("media-1250000000", "ap-chengdu");
      assertThat(names(buckets)).containsExactly("media-1250000000");
    }
  }

  private static java.util.List<String> names(Buckets buckets) {
    return buckets.list(null).stream().map(BucketStore.Bucket::name).toList();
  }
}
