package io.jobhook.e2e;

import static io.jobhook.support.Documents.child;
import static io.jobhook.support.Documents.childNames;
import static io.jobhook.support.Documents.fieldNames;
import static io.jobhook.support.Documents.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobhook.support.Documents;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The callback document of the seed page, element by element: names, nesting and order, in XML and
 * in JSON, checked independently of the code that renders it.
 */
final class SeedCallbackShape {
  static final List<String> RESPONSE = List.of("EventName", "JobsDetail");
  static final List<String> JOBS_DETAIL =
      List.of(
          "Code",
          "CreationTime",
          "EndTime",
          "Input",
          "JobId",
          "Message",
          "Operation",
          "QueueId",
          "StartTime",
          "State",
          "Tag");
  static final List<String> INPUT = List.of("BucketId", "Object", "Region");
  static final List<String> OPERATION = List.of("Output", "UserData");
  static final List<String> OUTPUT = List.of("Bucket", "Object", "Region");
  static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}";

  /** The leaf values of a callback, whichever format it came in. */
  record Values(
      String eventName,
      String code,
      String creationTime,
      String endTime,
      String inputBucket,
      String inputObject,
      String inputRegion,
      String jobId,
      String message,
      String outputBucket,
      String outputObject,
      String outputRegion,
      String userData,
      String queueId,
      String startTime,
      String state,
      String tag) {}

  private SeedCallbackShape() {}

  static Values fromXml(byte[] body) throws Exception {
    Element root = Documents.xml(body);
    assertThat(root.getTagName()).isEqualTo("Response");
    assertThat(childNames(root)).isEqualTo(RESPONSE);
    Element detail = child(root, "JobsDetail");
    assertThat(childNames(detail)).isEqualTo(JOBS_DETAIL);
    Element input = child(detail, "Input");
    assertThat(childNames(input)).isEqualTo(INPUT);
    Element operation = child(detail, "Operation");
    assertThat(childNames(operation)).isEqualTo(OPERATION);
    Element output = child(operation, "Output");
    assertThat(childNames(output)).isEqualTo(OUTPUT);
    return new Values(
        text(root, "EventName"),
        text(detail, "Code"),
        text(detail, "CreationTime"),
        text(detail, "EndTime"),
        text(input, "BucketId"),
        text(input, "Object"),
        text(input, "Region"),
        text(detail, "JobId"),
        text(detail, "Message"),
        text(output, "Bucket"),
        text(output, "Object"),
        text(output, "Region"),
        text(operation, "UserData"),
        text(detail, "QueueId"),
        text(detail, "StartTime"),
        text(detail, "State"),
        text(detail, "Tag"));
  }

  static Values fromJson(byte[] body) throws Exception {
    JsonNode root = new ObjectMapper().readTree(body);
    assertThat(fieldNames(root)).isEqualTo(RESPONSE);
    JsonNode detail = root.get("JobsDetail");
    assertThat(fieldNames(detail)).isEqualTo(JOBS_DETAIL);
    JsonNode input = detail.get("Input");
    assertThat(fieldNames(input)).isEqualTo(INPUT);
    JsonNode operation = detail.get("Operation");
    assertThat(fieldNames(operation)).isEqualTo(OPERATION);
    JsonNode output = operation.get("Output");
    assertThat(fieldNames(output)).isEqualTo(OUTPUT);
    return new Values(
        root.get("EventName").asText(),
        detail.get("Code").asText(),
        detail.get("CreationTime").asText(),
        detail.get("EndTime").asText(),
        input.get("BucketId").asText(),
        input.get("Object").asText(),
        input.get("Region").asText(),
        detail.get("JobId").asText(),
        detail.get("Message").asText(),
        output.get("Bucket").asText(),
        output.get("Object").asText(),
        output.get("Region").asText(),
        operation.get("UserData").asText(),
        detail.get("QueueId").asText(),
        detail.get("StartTime").asText(),
        detail.get("State").asText(),
        detail.get("Tag").asText());
  }
}
