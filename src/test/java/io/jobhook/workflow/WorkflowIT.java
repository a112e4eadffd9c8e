package io.jobhook.workflow;

import static io.jobhook.support.Documents.child;
import static io.jobhook.support.Documents.childNames;
import static io.jobhook.support.Documents.children;
import static io.jobhook.support.Documents.fieldNames;
import static io.jobhook.support.Documents.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ciModel.workflow.MediaTasks;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowExecutionObject;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowListRequest;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowListResponse;
import com.qcloud.cos.model.ciModel.workflow.MediaWorkflowObject;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.Documents;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * Workflows as a user drives them: created over signed HTTP (the SDK cannot), started by SDK
 * uploads or by hand, followed through the SDK, and reported by TaskFinish callbacks carrying
 * CosHeaders and Workflow and by a WorkflowFinish callback. Each test uses its own bucket.
 */
class WorkflowIT {
  static final List<String> TASK_DETAIL =
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
          "Tag",
          "Workflow");
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
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  static TestNode node;
  static COSClient sdk;
  static CallbackReceiver receiver;
  static byte[] audio;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    sdk = node.sdk();
    receiver = CallbackReceiver.start();
    float[] clean = TestAudio.speechLike(16000, 1.0);
    audio =
        TestAudio.wav16(
            16000, TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 7), 5.0));
  }

  @AfterAll
  static void stop() {
    receiver.close();
    node.close();
  }

  @Test
  void an_upload_runs_two_parallel_nodes_and_the_callbacks_carry_cos_headers_and_workflow()
      throws Exception {
    String bucket = "wfxml-1250000000";
    Workflows.notifyQueue(node.port(), sdk, bucket, receiver.url("/" + bucket), "XML");
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-noise",
                "input/",
                "<Start>Denoise_1,Denoise_2</Start><Denoise_1>End</Denoise_1><Denoise_2>End</Denoise_2>",
                "output/${InputPath}/${InputName}_${Node}.${ext}",
                "Denoise_1",
                "Denoise_2"));

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-cos-meta-speaker", "ann");
    headers.put("Content-Type", "audio/wav");
    headers.put("x-cos-meta-take", "2");
    RawHttp.Response put =
        RawHttp.signedWith(
            node.port(),
            "PUT",
            bucket + ".cos." + TestNode.REGION + ".myqcloud.com",
            "/input/talks/talk.wav",
            audio,
            headers);
    assertThat(put.status()).as(put.text()).isEqualTo(200);

    List<Element> bodies = awaitXml("/" + bucket, 3);
    List<Element> tasks =
        bodies.stream().filter(b -> text(b, "EventName").equals("TaskFinish")).toList();
    List<Element> finishes =
        bodies.stream().filter(b -> text(b, "EventName").equals("WorkflowFinish")).toList();
    assertThat(tasks).hasSize(2);
    assertThat(finishes).hasSize(1);
    List<String> expectedHeaders =
        List.of("x-cos-meta-speaker=ann", "Content-Type=audio/wav", "x-cos-meta-take=2");
    String runId = null;
    List<String> nodes = new ArrayList<>();
    for (Element body : tasks) {
      Element detail = child(body, "JobsDetail");
      assertThat(childNames(detail)).isEqualTo(TASK_DETAIL);
      Element input = child(detail, "Input");
      assertThat(childNames(input))
          .containsExactly(
              "BucketId", "CosHeaders", "CosHeaders", "CosHeaders", "Object", "Region");
      assertThat(pairs(input)).isEqualTo(expectedHeaders);
      assertThat(text(input, "Object")).isEqualTo("input/talks/talk.wav");
      assertThat(text(detail, "State")).isEqualTo("Success");
      Element workflow = child(detail, "Workflow");
      assertThat(childNames(workflow))
          .containsExactly("RunId", "WorkflowId", "WorkflowName", "Name");
      assertThat(text(workflow, "RunId")).matches("i[0-9a-f]{32}");
      assertThat(text(workflow, "WorkflowId")).isEqualTo(workflowId);
      assertThat(text(workflow, "WorkflowName")).isEqualTo("wf-noise");
      runId = text(workflow, "RunId");
      nodes.add(text(workflow, "Name"));
      String output = text(child(child(detail, "Operation"), "Output"), "Object");
      assertThat(output).isEqualTo("output/input/talks/talk_" + text(workflow, "Name") + ".wav");
      assertThat(sdk.getObjectMetadata(bucket, output).getContentLength()).isGreaterThan(44);
    }
    assertThat(nodes).containsExactlyInAnyOrder("Denoise_1", "Denoise_2");

    Element execution = child(finishes.getFirst(), "WorkflowExecution");
    assertThat(childNames(execution).stream().distinct().toList()).isEqualTo(EXECUTION);
    assertThat(text(execution, "RunId")).isEqualTo(runId);
    assertThat(text(execution, "State")).isEqualTo("Success");
    assertThat(pairs(execution)).isEqualTo(expectedHeaders);
    List<Element> finishedTasks = children(execution, "Tasks");
    assertThat(finishedTasks).hasSize(2);
    // both nodes follow Start only: their jobs are created together, when the run starts
    assertThat(text(finishedTasks.get(0), "CreateTime"))
        .isEqualTo(text(finishedTasks.get(1), "CreateTime"));
  }

  @Test
  void json_callbacks_of_a_sequential_run_have_cos_headers_as_an_array() throws Exception {
    String bucket = "wfjson-1250000000";
    Workflows.notifyQueue(node.port(), sdk, bucket, receiver.url("/" + bucket), "JSON");
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-chain",
                "in/",
                "<Start>First</Start><First>Second</First><Second>End</Second>",
                "out/${RunId}/${Node}.${ext}",
                "First",
                "Second"));
    Workflows.upload(sdk, bucket, "in/a.wav", audio, Map.of("owner", "bob"));

    List<JsonNode> bodies = awaitJson("/" + bucket, 3);
    JsonNode first = taskOfNode(bodies, "First");
    JsonNode second = taskOfNode(bodies, "Second");
    assertThat(fieldNames(first)).isEqualTo(TASK_DETAIL);
    assertThat(fieldNames(first.get("Input")))
        .containsExactly("BucketId", "CosHeaders", "Object", "Region");
    JsonNode cosHeaders = first.get("Input").get("CosHeaders");
    assertThat(cosHeaders.isArray()).isTrue();
    List<String> pairs = new ArrayList<>();
    cosHeaders.forEach(
        h -> {
          assertThat(fieldNames(h)).containsExactly("Key", "Value");
          pairs.add(h.get("Key").asText() + "=" + h.get("Value").asText());
        });
    assertThat(pairs).contains("Content-Type=audio/wav", "x-cos-meta-owner=bob");
    assertThat(first.get("Workflow").get("Name").asText()).isEqualTo("First");
    assertThat(second.get("Workflow").get("Name").asText()).isEqualTo("Second");
    assertThat(second.get("Workflow").get("WorkflowId").asText()).isEqualTo(workflowId);
    // Second depends on First: its job exists only once First ended
    assertThat(second.get("CreationTime").asText())
        .isGreaterThanOrEqualTo(first.get("EndTime").asText());

    JsonNode finish =
        bodies.stream()
            .filter(b -> b.get("EventName").asText().equals("WorkflowFinish"))
            .findFirst()
            .orElseThrow();
    JsonNode execution = finish.get("WorkflowExecution");
    assertThat(fieldNames(execution)).isEqualTo(EXECUTION);
    assertThat(execution.get("State").asText()).isEqualTo("Success");
    assertThat(execution.get("Tasks").size()).isEqualTo(2);
  }

  @Test
  void a_failed_node_fails_the_run_and_the_nodes_after_it_never_start() throws Exception {
    String bucket = "wffail-1250000000";
    Workflows.notifyQueue(node.port(), sdk, bucket, receiver.url("/" + bucket), "XML");
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-fail",
                "in/",
                "<Start>First</Start><First>Second</First><Second>End</Second>",
                "out/${Node}.wav",
                "First",
                "Second"));
    Workflows.upload(
        sdk,
        bucket,
        "in/garbage.wav",
        "this is not audio".getBytes(StandardCharsets.UTF_8),
        Map.of());

    // callbacks of different jobs and runs may arrive in any order: pick them by event
    List<Element> bodies = awaitXml("/" + bucket, 2);
    Element task = child(event(bodies, "TaskFinish"), "JobsDetail");
    assertThat(text(task, "State")).isEqualTo("Failed");
    assertThat(text(child(task, "Workflow"), "Name")).isEqualTo("First");
    Element execution = child(event(bodies, "WorkflowFinish"), "WorkflowExecution");
    assertThat(text(execution, "State")).isEqualTo("Failed");
    List<Element> tasks = children(execution, "Tasks");
    assertThat(tasks).hasSize(1);
    assertThat(text(tasks.getFirst(), "Name")).isEqualTo("First");
    assertThat(text(tasks.getFirst(), "Code")).isNotEqualTo("Success");

    MediaWorkflowExecutionObject run =
        sdk.describeWorkflowExecution(runRequest(bucket, text(execution, "RunId")))
            .getWorkflowExecution();
    assertThat(run.getState()).isEqualTo("Failed");
    assertThat(run.getWorkflowId()).isEqualTo(workflowId);
    assertThat(run.getTasks()).extracting(MediaTasks::getName).containsExactly("First");
  }

  @Test
  void a_paused_workflow_starts_nothing_until_it_is_activated() throws Exception {
    String bucket = "wfpause-1250000000";
    String paused =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-a", "a/", "<Start>N</Start><N>End</N>", "out/a/${InputName}.wav", "N"));
    String active =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-b", "b/", "<Start>N</Start><N>End</N>", "out/b/${InputName}.wav", "N"));
    assertThat(
            Workflows.send(node.port(), "PUT", bucket, "/workflow/" + paused + "/paused", null)
                .status())
        .isEqualTo(200);

    Workflows.upload(sdk, bucket, "a/one.wav", audio, Map.of());
    Workflows.upload(sdk, bucket, "b/two.wav", audio, Map.of());
    // uploads are handled in order: once b/two.wav has its run, a/one.wav was looked at too
    CallbackReceiver.await(WAIT, "a run of " + active, () -> runsOf(bucket, active).size() == 1);
    assertThat(runsOf(bucket, paused)).isEmpty();
    assertThat(describe(bucket, paused).getState()).isEqualTo("Paused");

    assertThat(
            Workflows.send(node.port(), "PUT", bucket, "/workflow/" + paused + "/active", null)
                .status())
        .isEqualTo(200);
    Workflows.upload(sdk, bucket, "a/three.wav", audio, Map.of());
    CallbackReceiver.await(WAIT, "a run of " + paused, () -> runsOf(bucket, paused).size() == 1);
    assertThat(runsOf(bucket, paused).getFirst().getObject()).isEqualTo("a/three.wav");
  }

  @Test
  void manual_trigger_list_describe_and_delete_through_the_sdk() throws Exception {
    String bucket = "wftrig-1250000000";
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-manual",
                "watched/",
                "<Start>Clean</Start><Clean>End</Clean>",
                "out/${InputNameAndExt}.${ext}",
                "Clean"));
    Workflows.upload(
        sdk, bucket, "elsewhere/take.wav", audio, Map.of()); // outside the prefix: no run

    MediaWorkflowListRequest trigger = new MediaWorkflowListRequest();
    trigger.setBucketName(bucket);
    trigger.setWorkflowId(workflowId);
    trigger.setObject("elsewhere/take.wav");
    trigger.setName("run-1");
    String runId = sdk.triggerWorkflowList(trigger).getInstanceId();
    assertThat(runId).matches("i[0-9a-f]{32}");

    CallbackReceiver.await(
        WAIT,
        "run " + runId + " to succeed",
        () ->
            "Success"
                .equals(
                    sdk.describeWorkflowExecution(runRequest(bucket, runId))
                        .getWorkflowExecution()
                        .getState()));
    MediaWorkflowExecutionObject run =
        sdk.describeWorkflowExecution(runRequest(bucket, runId)).getWorkflowExecution();
    assertThat(run.getRunId()).isEqualTo(runId);
    assertThat(run.getName()).isEqualTo("run-1");
    assertThat(run.getObject()).isEqualTo("elsewhere/take.wav");
    assertThat(run.getTasks()).hasSize(1);
    MediaTasks task = run.getTasks().getFirst();
    assertThat(task.getName()).isEqualTo("Clean");
    assertThat(task.getType()).isEqualTo("NoiseReduction");
    assertThat(task.getState()).isEqualTo("Success");
    assertThat(task.getJobId()).matches("j[0-9a-f]{32}");
    assertThat(sdk.getObjectMetadata(bucket, "out/take.wav.wav").getContentLength())
        .isGreaterThan(44);
    assertThat(runsOf(bucket, workflowId))
        .extracting(MediaWorkflowExecutionObject::getRunId)
        .containsExactly(runId);

    MediaWorkflowObject described = describe(bucket, workflowId);
    assertThat(described.getName()).isEqualTo("wf-manual");
    assertThat(described.getState()).isEqualTo("Active");
    assertThat(described.getTopology().getMediaWorkflowNodes())
        .containsKeys("Start", "Clean", "End");
    assertThat(
            described
                .getTopology()
                .getMediaWorkflowNodes()
                .get("Clean")
                .getOperation()
                .getOutput()
                .getObject())
        .isEqualTo("out/${InputNameAndExt}.${ext}");

    MediaWorkflowListRequest delete = new MediaWorkflowListRequest();
    delete.setBucketName(bucket);
    delete.setWorkflowId(workflowId);
    assertThat(sdk.deleteWorkflow(delete)).isTrue();
    RawHttp.Response gone =
        Workflows.send(node.port(), "GET", bucket, "/workflow/" + workflowId, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.text()).contains("<Code>NoSuchWorkflow</Code>");
    RawHttp.Response noObject =
        Workflows.send(
            node.port(),
            "POST",
            bucket,
            "/triggerworkflow?workflowId=" + workflowId + "&object=x.wav",
            null);
    assertThat(noObject.status()).isEqualTo(404);
  }

  @Test
  void an_update_replaces_the_name_and_topology_for_later_uploads() throws Exception {
    String bucket = "wfupdate-1250000000";
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-old", "old/", "<Start>N</Start><N>End</N>", "out/${InputName}.wav", "N"));
    RawHttp.Response updated =
        Workflows.send(
            node.port(),
            "PUT",
            bucket,
            "/workflow/" + workflowId,
            Workflows.definition(
                "wf-new", "new/", "<Start>M</Start><M>End</M>", "out/m/${InputName}.wav", "M"));
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.text())
        .contains("<Name>wf-new</Name>", "<WorkflowId>" + workflowId + "</WorkflowId>");
    MediaWorkflowObject described = describe(bucket, workflowId);
    assertThat(described.getName()).isEqualTo("wf-new");
    assertThat(described.getTopology().getMediaWorkflowNodes()).containsKeys("Start", "M", "End");

    Workflows.upload(sdk, bucket, "old/a.wav", audio, Map.of());
    Workflows.upload(sdk, bucket, "new/b.wav", audio, Map.of());
    CallbackReceiver.await(
        WAIT, "a run of new/b.wav", () -> runsOf(bucket, workflowId).size() == 1);
    assertThat(runsOf(bucket, workflowId).getFirst().getObject()).isEqualTo("new/b.wav");
    // the body the SDK's leftover writer produces (contract §3.12): End only named in Dependencies,
    // and an empty Output, so the output is named after the input; the TemplateId it names must
    // exist, so the captured one is replaced by a template of this bucket
    RawHttp.Response template =
        Workflows.send(
            node.port(),
            "POST",
            bucket,
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>sdk-shaped</Name></Request>");
    assertThat(template.status()).as(template.text()).isEqualTo(200);
    Matcher templateId =
        Pattern.compile("<TemplateId>(t[0-9a-f]{32})</TemplateId>").matcher(template.text());
    assertThat(templateId.find()).isTrue();
    RawHttp.Response sdkShaped =
        Workflows.send(
            node.port(),
            "POST",
            bucket,
            "/workflow",
            "<Request><MediaWorkflow>"
                + "<Name>wf-noise</Name><State>Active</State><Topology><Dependencies><Start>NoiseReduction_1</Start>"
                + "<NoiseReduction_1>End</NoiseReduction_1></Dependencies><Nodes><Start><Type>Start</Type><Input>"
                + "<QueueId></QueueId><ObjectPrefix>sdk/</ObjectPrefix></Input></Start><NoiseReduction_1><Type>NoiseReduction"
                + "</Type><Operation><TemplateId>"
                + templateId.group(1)
                + "</TemplateId><Output><Region/><Bucket/>"
                + "<Object/></Output></Operation></NoiseReduction_1></Nodes></Topology></MediaWorkflow></Request>");
    assertThat(sdkShaped.status()).as(sdkShaped.text()).isEqualTo(200);
    assertThat(sdkShaped.text())
        .contains(
            "<Object>${InputPath}/${InputName}_NoiseReduction_1.${ext}</Object>",
            "<TemplateId>" + templateId.group(1) + "</TemplateId>",
            "<End><Type>End</Type></End>");
    assertThat(
            Workflows.send(
                    node.port(),
                    "PUT",
                    bucket,
                    "/workflow/w" + "0".repeat(32),
                    Workflows.definition("x", "", "<Start>M</Start><M>End</M>", "o.wav", "M"))
                .status())
        .isEqualTo(404);
  }

  @Test
  void a_template_a_run_in_flight_will_use_cannot_be_deleted_until_the_run_ends() throws Exception {
    String bucket = "wftemplate-1250000000";
    RawHttp.Response created =
        Workflows.send(
            node.port(),
            "POST",
            bucket,
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>in-flight</Name></Request>");
    Matcher id =
        Pattern.compile("<TemplateId>(t[0-9a-f]{32})</TemplateId>").matcher(created.text());
    assertThat(id.find()).as(created.text()).isTrue();
    String templateId = id.group(1);
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            "<Request><MediaWorkflow><Name>held</Name><State>Active</State><Topology>"
                + "<Dependencies><Start>A</Start><A>End</A></Dependencies><Nodes>"
                + "<Start><Type>Start</Type><Input><ObjectPrefix>in/</ObjectPrefix></Input></Start>"
                + "<A><Type>NoiseReduction</Type><Operation><TemplateId>"
                + templateId
                + "</TemplateId><Output><Object>out/${InputName}.wav</Object></Output></Operation></A>"
                + "<End><Type>End</Type></End></Nodes></Topology></MediaWorkflow></Request>");
    // the queue paused: the run's job waits, the run stays in flight
    String queueId = SdkCalls.defaultQueueId(sdk, bucket);
    String pause = "<Request><State>Paused</State></Request>";
    assertThat(Workflows.send(node.port(), "PUT", bucket, "/queue/" + queueId, pause).status())
        .isEqualTo(200);
    Workflows.upload(sdk, bucket, "in/a.wav", audio, Map.of());
    CallbackReceiver.await(WAIT, "a run", () -> runsOf(bucket, workflowId).size() == 1);
    assertThat(
            Workflows.send(node.port(), "PUT", bucket, "/workflow/" + workflowId + "/paused", null)
                .status())
        .isEqualTo(200);

    RawHttp.Response refused =
        Workflows.send(node.port(), "DELETE", bucket, "/template/" + templateId, null);
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.text()).contains("<Code>TemplateInUse</Code>").contains(workflowId);

    String resume = "<Request><State>Active</State></Request>";
    assertThat(Workflows.send(node.port(), "PUT", bucket, "/queue/" + queueId, resume).status())
        .isEqualTo(200);
    CallbackReceiver.await(
        WAIT,
        "the run to end",
        () -> runsOf(bucket, workflowId).getFirst().getState().equals("Success"));
    assertThat(
            Workflows.send(node.port(), "DELETE", bucket, "/template/" + templateId, null).status())
        .isEqualTo(200);
  }

  @Test
  void overwriting_an_object_starts_a_new_run_and_deleting_one_starts_none() throws Exception {
    String bucket = "wfover-1250000000";
    String workflowId =
        Workflows.create(
            node.port(),
            bucket,
            Workflows.definition(
                "wf-over",
                "in/",
                "<Start>N</Start><N>End</N>",
                "out/${InputName}-${RunId}.wav",
                "N"));
    Workflows.upload(sdk, bucket, "in/a.wav", audio, Map.of());
    Workflows.upload(sdk, bucket, "in/a.wav", audio, Map.of());
    sdk.deleteObject(bucket, "in/a.wav");
    Workflows.upload(sdk, bucket, "in/b.wav", audio, Map.of());
    CallbackReceiver.await(
        WAIT,
        "the run of in/b.wav",
        () -> runsOf(bucket, workflowId).stream().anyMatch(r -> r.getObject().equals("in/b.wav")));
    assertThat(runsOf(bucket, workflowId))
        .extracting(MediaWorkflowExecutionObject::getObject)
        .containsExactlyInAnyOrder("in/a.wav", "in/a.wav", "in/b.wav");
    // every upload was turned into runs: nothing waits, nothing was left aside
    String metrics = RawHttp.metrics(node.port());
    assertThat(metrics).containsPattern("(?m)^jobhook_workflow_events_left_aside 0(\\.0)?$");
    assertThat(metrics).containsPattern("(?m)^jobhook_workflow_events_pending \\d+");
  }

  @Test
  void malformed_topologies_are_refused_with_a_clear_error() throws Exception {
    String bucket = "wfbad-1250000000";
    assertRefused(
        bucket,
        Workflows.definition(
            "cycle", "", "<Start>A</Start><A>B</A><B>A,End</B>", "o.wav", "A", "B"),
        "cycle");
    assertRefused(
        bucket,
        Workflows.definition("dangling", "", "<Start>A</Start><A>Nowhere</A>", "o.wav", "A"),
        "Nowhere");
    assertRefused(
        bucket,
        Workflows.definition(
            "leads-nowhere", "", "<Start>A,B</Start><A>End</A>", "o.wav", "A", "B"),
        "leads nowhere");
    assertRefused(
        bucket,
        Workflows.definition("variable", "", "<Start>A</Start><A>End</A>", "${Nope}.wav", "A"),
        "${Nope}");
    assertRefused(
        bucket,
        Workflows.definition("type", "", "<Start>A</Start><A>End</A>", "o.wav", "A")
            .replace("<Type>NoiseReduction</Type>", "<Type>Transcode</Type>"),
        "Transcode");
    assertRefused(
        bucket,
        Workflows.definition("no-end", "", "<Start>A</Start>", "o.wav", "A")
            .replace("<End><Type>End</Type></End>", ""),
        "End");
    assertRefused(
        bucket, "<Request><MediaWorkflow><Name>x</Name></MediaWorkflow></Request>", "Topology");
  }

  private static Element event(List<Element> bodies, String eventName) {
    List<Element> matching =
        bodies.stream().filter(b -> text(b, "EventName").equals(eventName)).toList();
    assertThat(matching).as(eventName + " callbacks").hasSize(1);
    return matching.getFirst();
  }

  private static JsonNode taskOfNode(List<JsonNode> bodies, String node) {
    return bodies.stream()
        .filter(b -> b.get("EventName").asText().equals("TaskFinish"))
        .map(b -> b.get("JobsDetail"))
        .filter(d -> d.get("Workflow").get("Name").asText().equals(node))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no TaskFinish callback of node " + node));
  }

  private static void assertRefused(String bucket, String body, String mention) throws Exception {
    RawHttp.Response res = Workflows.send(node.port(), "POST", bucket, "/workflow", body);
    assertThat(res.status()).as(res.text()).isEqualTo(400);
    assertThat(res.text()).contains("<Code>InvalidArgument</Code>").contains(mention);
  }

  static MediaWorkflowListRequest runRequest(String bucket, String runId) {
    MediaWorkflowListRequest r = new MediaWorkflowListRequest();
    r.setBucketName(bucket);
    r.setRunId(runId);
    return r;
  }

  static List<MediaWorkflowExecutionObject> runsOf(String bucket, String workflowId) {
    return Workflows.runs(sdk, bucket, workflowId);
  }

  static MediaWorkflowObject describe(String bucket, String workflowId) {
    MediaWorkflowListRequest r = new MediaWorkflowListRequest();
    r.setBucketName(bucket);
    r.setIds(workflowId);
    MediaWorkflowListResponse res = sdk.describeWorkflow(r);
    assertThat(res.getMediaWorkflowList()).hasSize(1);
    return res.getMediaWorkflowList().getFirst();
  }

  private static List<byte[]> await(String path, int count) throws InterruptedException {
    CallbackReceiver.await(
        WAIT,
        count + " callbacks on " + path,
        () -> receiver.received().stream().filter(r -> r.path().equals(path)).count() >= count);
    return receiver.received().stream()
        .filter(r -> r.path().equals(path))
        .map(CallbackReceiver.Received::body)
        .toList();
  }

  private static List<Element> awaitXml(String path, int count) throws Exception {
    List<Element> out = new ArrayList<>();
    for (byte[] body : await(path, count)) {
      out.add(Documents.xml(body));
    }
    return out;
  }

  private static List<JsonNode> awaitJson(String path, int count) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] body : await(path, count)) {
      out.add(new ObjectMapper().readTree(body));
    }
    return out;
  }

  private static List<String> pairs(Element parent) {
    return children(parent, "CosHeaders").stream()
        .map(h -> text(h, "Key") + "=" + text(h, "Value"))
        .toList();
  }
}
