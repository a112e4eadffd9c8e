package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobhook.callback.NotifyConfig;

/**
 * A {@code NotifyConfig} element as a request gives it (a queue update, a workflow's Start node),
 * each field checked, null where the element is absent or empty.
 */
record NotifyConfigRequest(
    String url, String type, String event, String state, String resultFormat) {

  static final NotifyConfigRequest ABSENT = new NotifyConfigRequest(null, null, null, null, null);

  /** Reads {@code <NotifyConfig>} under {@code parent}; {@code where} names it in errors. */
  static NotifyConfigRequest parse(JsonNode parent, String where, CallbackUrlCheck urls) {
    JsonNode n = parent == null ? null : parent.get("NotifyConfig");
    if (n == null || !n.isObject()) {
      return ABSENT;
    }
    String type = CiXml.text(n, "Type");
    String url = CiXml.text(n, "Url");
    if (type != null && type.equalsIgnoreCase("Kafka")) {
      url = urls.kafka(where + "/KafkaConfig", n.get("KafkaConfig")).url();
      type = "Kafka";
    } else if (type != null && !type.equalsIgnoreCase("Url")) {
      throw ApiException.invalidArgument(
          where
              + "/Type '"
              + type
              + "' is not supported by jobhook: use Url (an HTTP(S) receiver) or Kafka");
    } else if (url != null) {
      urls.check(where + "/Url", url);
    }
    String state = CiXml.text(n, "State");
    if (state != null && !state.equals("On") && !state.equals("Off")) {
      throw ApiException.invalidArgument(where + "/State must be On or Off");
    }
    String event = CiXml.text(n, "Event");
    if (event != null) {
      for (String e : event.split(",")) {
        if (!e.trim().equals("TaskFinish") && !e.trim().equals("WorkflowFinish")) {
          throw ApiException.invalidArgument(
              where + "/Event '" + e.trim() + "' is not TaskFinish or WorkflowFinish");
        }
      }
    }
    String resultFormat = CiXml.text(n, "ResultFormat");
    if (resultFormat != null
        && !resultFormat.equalsIgnoreCase("XML")
        && !resultFormat.equalsIgnoreCase("JSON")) {
      throw ApiException.invalidArgument(where + "/ResultFormat must be XML or JSON");
    }
    return new NotifyConfigRequest(
        url,
        type == null ? null : type.equals("Kafka") ? "Kafka" : "Url",
        event,
        state,
        resultFormat == null ? null : resultFormat.toUpperCase(java.util.Locale.ROOT));
  }

  /**
   * A complete config from this request, CI's defaults filling what it leaves out (On, Url, both
   * events, XML); null when it names no URL, so that the queue's config applies.
   */
  NotifyConfig orDefaults() {
    if (url == null) {
      return null;
    }
    return new NotifyConfig(
        url,
        type == null ? "Url" : type,
        event == null ? "TaskFinish,WorkflowFinish" : event,
        state == null ? "On" : state,
        resultFormat == null ? "XML" : resultFormat);
  }
}
