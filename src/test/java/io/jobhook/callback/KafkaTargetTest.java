package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Kafka target survives its trip through the outbox, and names Kafka itself would refuse do not
 * get in.
 */
class KafkaTargetTest {

  @Test
  void what_the_outbox_stores_reads_back_as_the_same_target() {
    KafkaTarget target = new KafkaTarget("ckafka-1.prod", "media_done-v2", "ap-guangzhou");
    assertThat(target.url()).isEqualTo("kafka://ckafka-1.prod/media_done-v2?region=ap-guangzhou");
    assertThat(KafkaTarget.parse(target.url())).isEqualTo(target);
    assertThat(KafkaTarget.parse("kafka://local/t")).isEqualTo(new KafkaTarget("local", "t", ""));
  }

  @Test
  void its_circuit_is_the_cluster_not_the_topic() {
    assertThat(new KafkaTarget("local", "a", "r").destination())
        .isEqualTo(new KafkaTarget("local", "b", "").destination())
        .isEqualTo(CallbackUrl.destinationOf("kafka://local/a?region=r"));
  }

  @ParameterizedTest
  @CsvSource({
    "local, 'a/b', r",
    "local, '', r",
    "local, 'a b', r",
    "'lo/cal', t, r",
    "'', t, r",
    "local, t, 'ap/guangzhou'",
    "local, t, 'r?x=1'"
  })
  void names_kafka_would_refuse_or_that_would_not_read_back_are_refused(
      String instance, String topic, String region) {
    assertThatThrownBy(() -> new KafkaTarget(instance, topic, region))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_url_is_not_a_kafka_target() {
    assertThat(KafkaTarget.isKafka("https://example.com/cb")).isFalse();
    assertThatThrownBy(() -> KafkaTarget.parse("https://example.com/cb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KafkaTarget.parse("kafka://local"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
