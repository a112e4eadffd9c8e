package io.jobhook.sdk;

import static io.jobhook.support.Documents.child;
import static io.jobhook.support.Documents.children;
import static io.jobhook.support.Documents.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.Documents;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.Workflows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The Go SDK cannot run here (no Go module registry), so its reading of jobhook's answers is held
 * against its structs' XML field names, copied from cos-go-sdk-v5's ci_media.go: the template
 * results (CreateMediaTemplateResult, DescribeMediaTemplateResult, DeleteMediaTemplateResult) and
 * the WorkflowFinish notification (WorkflowExecutionNotifyBody); and from its object.go,
 * object_part.go, bucket.go and service.go: the multipart, copy, listing, batch-delete, bucket
 * listing and tagging results. Every field the Go SDK reads must be an element at its path, with a
 * value Go can decode.
 */
class GoSdkShapesIT {
  static final String BUCKET = "goshapes-1250000000";

  /**
   * Go's {@code Template} fields jobhook fills for NoiseReduction; Go reads the template's tag from
   * {@code Code}.
   */
  static final List<String> TEMPLATE =
      List.of("TemplateId", "Code", "Name", "CreateTime", "UpdateTime", "BucketId", "Category");

  /** {@code WorkflowExecutionNotifyBody.WorkflowExecution}. */
  static final List<String> EXECUTION =
      List.of(
          "RunId",
          "BucketId",
          "Object",
          "CosHeaders",
          "WorkflowId",
          "WorkflowName",
          "CreateTime",
          "State",
          "Tasks");

  /** Its {@code Tasks} items, then {@code ResultInfo} and its {@code ObjectInfo} items. */
  static final List<String> TASK =
      List.of(
          "Type",
          "CreateTime",
          "EndTime",
          "State",
          "JobId",
          "Name",
          "TemplateId",
          "TemplateName",
          "ResultInfo");

  static final List<String> OBJECT_INFO =
      List.of("ObjectName", "ObjectUrl", "InputObjectName", "Code", "Message");

  @TempDir static Path dataDir;
  static TestNode node;
  static CallbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    receiver = CallbackReceiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    node.close();
  }

  @Test
  void template_answers_and_workflow_finish_carry_every_field_the_go_sdk_reads() throws Exception {
    // CreateNoiseReductionTemplate's body, as the Go SDK marshals
    // CreateNoiseReductionTemplateOptions
    Element created =
        ok(
            "POST",
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>go-nr</Name><NoiseReduction>"
                + "<Format>wav</Format><Samplerate>16000</Samplerate></NoiseReduction></Request>");
    assertThat(text(created, "RequestId")).isNotEmpty();
    Element template = child(created, "Template");
    assertHas(template, TEMPLATE);
    assertThat(text(template, "Code")).as("Go's Template.Tag").isEqualTo("NoiseReduction");
    assertThat(text(child(template, "NoiseReduction"), "Format")).isEqualTo("wav");
    assertThat(text(child(template, "NoiseReduction"), "Samplerate")).isEqualTo("16000");
    String templateId = text(template, "TemplateId");

    Element listed = ok("GET", "/template?ids=" + templateId, null);
    assertHas(listed, List.of("TemplateList", "RequestId", "TotalCount", "PageNumber", "PageSize"));
    for (String number : List.of("TotalCount", "PageNumber", "PageSize")) {
      assertThat(text(listed, number)).as(number + " decodes as a Go int").matches("\\d+");
    }
    assertHas(child(listed, "TemplateList"), TEMPLATE);

    // a run whose node names the template, its notification on the queue's NotifyConfig
    Workflows.notifyQueue(node.port(), node.sdk(), BUCKET, receiver.url("/go"), "XML");
    Workflows.create(
        node.port(),
        BUCKET,
        "<Request><MediaWorkflow><Name>go-wf</Name><State>Active</State><Topology>"
            + "<Dependencies><Start>Denoise</Start><Denoise>End</Denoise></Dependencies><Nodes>"
            + "<Start><Type>Start</Type><Input><ObjectPrefix>in/</ObjectPrefix></Input></Start>"
            + "<Denoise><Type>NoiseReduction</Type><Operation><TemplateId>"
            + templateId
            + "</TemplateId><Output><Object>out/${InputName}.${ext}</Object></Output></Operation>"
            + "</Denoise><End><Type>End</Type></End></Nodes></Topology></MediaWorkflow></Request>");
    Workflows.upload(
        node.sdk(),
        BUCKET,
        "in/talk.wav",
        TestAudio.wav16(16000, TestAudio.speechLike(16000, 1.0)),
        Map.of("speaker", "go"));
    CallbackReceiver.await(
        Duration.ofSeconds(30),
        "the WorkflowFinish notification",
        () -> receiver.received().stream().anyMatch(r -> isWorkflowFinish(r.body())));
    byte[] body =
        receiver.received().stream()
            .map(CallbackReceiver.Received::body)
            .filter(GoSdkShapesIT::isWorkflowFinish)
            .findFirst()
            .orElseThrow();
    Element finish = Documents.xml(body);
    assertThat(text(finish, "EventName")).isEqualTo("WorkflowFinish");
    Element execution = child(finish, "WorkflowExecution");
    assertHas(execution, EXECUTION);
    assertHas(children(execution, "CosHeaders").getFirst(), List.of("Key", "Value"));
    assertThat(text(execution, "CreateTime"))
        .as("CI writes this time with a space")
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d{4}");
    Element task = child(execution, "Tasks");
    assertHas(task, TASK);
    assertThat(text(task, "TemplateId")).isEqualTo(templateId);
    assertThat(text(task, "TemplateName")).isEqualTo("go-nr");
    Element result = child(task, "ResultInfo");
    assertThat(text(result, "ObjectCount")).as("decodes as a Go int").isEqualTo("1");
    Element info = child(result, "ObjectInfo");
    assertHas(info, OBJECT_INFO);
    assertThat(text(info, "ObjectName")).isEqualTo("out/talk.wav");
    assertThat(text(info, "ObjectUrl"))
        .isEqualTo("https://" + BUCKET + ".cos." + TestNode.REGION + ".myqcloud.com/out/talk.wav");
    assertThat(text(info, "InputObjectName")).isEqualTo("in/talk.wav");

    // DeleteMediaTemplate: refused while the Active workflow uses it
    RawHttp.Response inUse =
        Workflows.send(node.port(), "DELETE", BUCKET, "/template/" + templateId, null);
    assertThat(inUse.status()).as(inUse.text()).isEqualTo(400);
    assertThat(inUse.text()).contains("<Code>TemplateInUse</Code>");
  }

  @Test
  void delete_media_template_answers_its_request_id_and_template_id() throws Exception {
    Element created =
        ok(
            "POST",
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>go-gone</Name><NoiseReduction>"
                + "<Format>mp3</Format></NoiseReduction></Request>");
    String templateId = text(child(created, "Template"), "TemplateId");
    Element deleted = ok("DELETE", "/template/" + templateId, null);
    assertHas(deleted, List.of("RequestId", "TemplateId"));
    assertThat(text(deleted, "TemplateId")).isEqualTo(templateId);
  }

  @Test
  void object_answers_carry_every_field_the_go_sdk_reads() throws Exception {
    // cos-go-sdk-v5's object.go, object_part.go and bucket.go: each root is the struct's XMLName
    Element initiated = cos("POST", "/go/parts.bin?uploads", null, Map.of());
    assertRoot(initiated, "InitiateMultipartUploadResult", List.of("Bucket", "Key", "UploadId"));
    String parts = "/go/parts.bin?uploadId=" + text(initiated, "UploadId");
    cos("PUT", parts + "&partNumber=1", new byte[1 << 20], Map.of());
    cos("PUT", parts + "&partNumber=2", new byte[10], Map.of());

    Element listedParts = cos("GET", parts + "&max-parts=1", null, Map.of());
    assertRoot(
        listedParts,
        "ListPartsResult",
        List.of(
            "Bucket",
            "Key",
            "UploadId",
            "StorageClass",
            "PartNumberMarker",
            "NextPartNumberMarker",
            "MaxParts",
            "IsTruncated",
            "Part"));
    assertThat(text(listedParts, "IsTruncated")).as("a Go bool").isEqualTo("true");
    Element part = child(listedParts, "Part");
    assertHas(part, List.of("PartNumber", "ETag", "Size", "LastModified"));
    String etag = text(part, "ETag");

    Element completed =
        cos(
            "POST",
            parts,
            ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
                    + etag
                    + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"
                    + text(
                        child(cos("GET", parts + "&part-number-marker=1", null, Map.of()), "Part"),
                        "ETag")
                    + "</ETag></Part></CompleteMultipartUpload>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of());
    assertRoot(
        completed, "CompleteMultipartUploadResult", List.of("Location", "Bucket", "Key", "ETag"));

    Element copied =
        cos(
            "PUT",
            "/go/sub/copy.bin",
            null,
            Map.of("x-cos-copy-source", COS_HOST + "/go/parts.bin"));
    assertRoot(copied, "CopyObjectResult", List.of("ETag", "LastModified"));

    Element listed = cos("GET", "/?prefix=go/&delimiter=/&max-keys=10", null, Map.of());
    assertRoot(
        listed,
        "ListBucketResult",
        List.of("Name", "Prefix", "MaxKeys", "IsTruncated", "Contents", "CommonPrefixes"));
    assertThat(text(listed, "MaxKeys")).as("a Go int").isEqualTo("10");
    assertThat(text(listed, "IsTruncated")).as("a Go bool").isEqualTo("false");
    assertHas(child(listed, "Contents"), List.of("Key", "ETag", "Size", "LastModified"));
    assertThat(text(child(listed, "Contents"), "Size")).as("a Go int64").isEqualTo("1048586");
    assertThat(text(child(listed, "CommonPrefixes"), "Prefix")).isEqualTo("go/sub/");

    Element deleted =
        cos(
            "POST",
            "/?delete",
            "<Delete><Object><Key>go/parts.bin</Key></Object></Delete>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of());
    assertRoot(deleted, "DeleteResult", List.of("Deleted"));
    assertThat(text(child(deleted, "Deleted"), "Key")).isEqualTo("go/parts.bin");
  }

  @Test
  void bucket_listings_and_object_tags_carry_every_field_the_go_sdk_reads() throws Exception {
    // service.go's ServiceGetResult, with bucket.go's Bucket (Region read from Location) and
    // cos.go's Owner; object.go's ObjectGetTaggingResult (TagSet>Tag, each Key and Value)
    cos("PUT", "/go/tagged.txt", new byte[1], Map.of("x-cos-tagging", "team=audio"));
    RawHttp.Response service =
        RawHttp.signed(node.port(), "GET", "service.cos.myqcloud.com", "/", null);
    assertThat(service.status()).as(service.text()).isEqualTo(200);
    Element buckets =
        Documents.xml(service.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertRoot(
        buckets, "ListAllMyBucketsResult", List.of("Owner", "Buckets", "Marker", "IsTruncated"));
    assertHas(child(buckets, "Owner"), List.of("ID", "DisplayName"));
    assertThat(text(buckets, "IsTruncated")).as("a Go bool").isEqualTo("false");
    Element ours =
        children(child(buckets, "Buckets"), "Bucket").stream()
            .filter(b -> text(b, "Name").equals(BUCKET))
            .findFirst()
            .orElseThrow();
    assertHas(ours, List.of("Name", "Location", "CreationDate", "BucketType"));
    assertThat(text(ours, "Location")).isEqualTo(TestNode.REGION);

    Element tagging = cos("GET", "/go/tagged.txt?tagging", null, Map.of());
    assertRoot(tagging, "Tagging", List.of("TagSet"));
    Element tag = child(child(tagging, "TagSet"), "Tag");
    assertThat(text(tag, "Key")).isEqualTo("team");
    assertThat(text(tag, "Value")).isEqualTo("audio");
  }

  static final String COS_HOST = BUCKET + ".cos." + TestNode.REGION + ".myqcloud.com";

  private static Element cos(String method, String path, byte[] body, Map<String, String> headers)
      throws Exception {
    RawHttp.Response res = RawHttp.signedWith(node.port(), method, COS_HOST, path, body, headers);
    assertThat(res.status()).as(method + " " + path + ": " + res.text()).isEqualTo(200);
    return res.text().isEmpty()
        ? null
        : Documents.xml(res.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void assertRoot(Element root, String goXmlName, List<String> goFields) {
    assertThat(root.getTagName()).as("the Go struct's XMLName").isEqualTo(goXmlName);
    assertHas(root, goFields);
  }

  private static boolean isWorkflowFinish(byte[] body) {
    return new String(body, java.nio.charset.StandardCharsets.UTF_8)
        .contains("<EventName>WorkflowFinish</EventName>");
  }

  private static Element ok(String method, String path, String body) throws Exception {
    RawHttp.Response res = Workflows.send(node.port(), method, BUCKET, path, body);
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    return Documents.xml(res.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void assertHas(Element parent, List<String> goFields) {
    for (String field : goFields) {
      assertThat(children(parent, field))
          .as("<%s> under <%s>, which the Go SDK reads", field, parent.getTagName())
          .isNotEmpty();
    }
  }
}
