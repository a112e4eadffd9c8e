package io.jobhook.callback;

import java.util.Map;

/** Sends each callback over its target's transport: Kafka targets to Kafka, URLs over HTTP. */
public final class TransportRouter implements CallbackSender {
  private final CallbackSender http;
  private final CallbackSender kafka;

  public TransportRouter(CallbackSender http, CallbackSender kafka) {
    this.http = http;
    this.kafka = kafka;
  }

  @Override
  public AttemptResult send(PendingCallback callback, Map<String, String> headers) {
    return KafkaTarget.isKafka(callback.url())
        ? kafka.send(callback, headers)
        : http.send(callback, headers);
  }
}
