package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.access.AccessKeys;
import io.jobhook.access.AuditLog;
import io.jobhook.access.MasterKey;
import io.jobhook.access.SessionStore;
import io.jobhook.access.Sessions;
import io.jobhook.callback.AttemptRecord;
import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.PendingCallback;
import io.jobhook.engine.Ids;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.IdleWorkers;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.Queue;
import io.jobhook.job.WorkflowOrigin;
import io.jobhook.object.CosHeader;
import io.jobhook.object.ObjectInfo;
import io.jobhook.template.Template;
import io.jobhook.workflow.RunState;
import io.jobhook.workflow.Topology;
import io.jobhook.workflow.Workflow;
import io.jobhook.workflow.WorkflowEvent;
import io.jobhook.workflow.WorkflowRun;
import io.jobhook.workflow.WorkflowState;
import io.jobhook.workflow.WorkflowStore;
import io.jobhook.workflow.WorkflowTriggers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link io.jobhook.job.JobStore}, {@link io.jobhook.job.QueueStore}, {@link
 * io.jobhook.callback.CallbackOutbox}, {@link io.jobhook.workflow.WorkflowStore}, the upload events
 * of {@link io.jobhook.object.ObjectIndex} and the sign-in failures of {@link SessionStore}, run
 * against every real backend.
 */
abstract class JobStoreContract {
  static final String BUCKET = "contract-1250000000";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final int MAX_CONCURRENT = 10;

  Database db;
  JdbcJobStore jobs;
  JdbcQueueStore queues;
  JdbcCallbackOutbox outbox;
  JdbcWorkflowStore workflows;
  JdbcObjectIndex objects;
  JdbcTransactions transactions;
  WorkflowTriggers triggers;
  Queue queue;

  /** A fresh, migrated, empty database. */
  abstract Database openEmpty() throws Exception;

  @BeforeEach
  void open() throws Exception {
    db = openEmpty();
    jobs = new JdbcJobStore(db);
    queues = new JdbcQueueStore(db);
    outbox = new JdbcCallbackOutbox(db);
    workflows = new JdbcWorkflowStore(db);
    objects = new JdbcObjectIndex(db);
    transactions = new JdbcTransactions(db);
    triggers = new WorkflowTriggers(workflows, new Wakeup());
    queue = queues.defaultQueue(BUCKET, T0, MAX_CONCURRENT);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void failed_sign_ins_are_counted_in_the_database_so_that_every_node_holds_them_off()
      throws Exception {
    Instant[] now = {T0};
    java.time.InstantSource clock = () -> now[0];
    MasterKey master =
        MasterKey.load(java.nio.file.Files.createTempDirectory("contract-master"), Map.of());
    Sessions[] nodes = new Sessions[2];
    for (int i = 0; i < nodes.length; i++) {
      JdbcAccessKeyStore store = new JdbcAccessKeyStore(db);
      nodes[i] =
          new Sessions(
              new AccessKeys("AKIDadmin", "admin-secret", store, master, store, clock),
              store,
              clock,
              Duration.ofHours(8));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(nodes[i % 2].signIn("AKIDadmin", "wrong", "10.0.0.9"))
          .isInstanceOf(Sessions.SignIn.Refused.class);
    }
    assertThat(nodes[0].signIn("AKIDadmin", "admin-secret", "10.0.0.9"))
        .as("five failures across both nodes hold the address off")
        .isInstanceOf(Sessions.SignIn.HeldOff.class);
    var held = (Sessions.SignIn.HeldOff) nodes[1].signIn("AKIDadmin", "admin-secret", "10.0.0.7");
    assertThat(held.until()).as("and the key, from any address").isAfter(now[0]);
    now[0] = held.until().plusSeconds(1);
    assertThat(nodes[1].signIn("AKIDadmin", "admin-secret", "10.0.0.9"))
        .isInstanceOf(Sessions.SignIn.SignedIn.class);
    assertThat(new JdbcAccessKeyStore(db).failures("address 10.0.0.9"))
        .as("forgiven once a sign-in succeeds")
        .isEmpty();

    nodes[0].signIn("AKIDadmin", "wrong", "10.0.0.5");
    assertThat(new JdbcAccessKeyStore(db).failures("address 10.0.0.5"))
        .hasValue(new SessionStore.Failures(1, now[0]));
    now[0] = now[0].plus(Duration.ofMinutes(31));
    nodes[1].sweep();
    assertThat(new JdbcAccessKeyStore(db).failures("address 10.0.0.5"))
        .as("forgotten by the sweep after twice the longest hold")
        .isEmpty();
  }

  @Test
  void an_audit_entry_is_written_before_its_change_and_settled_after() throws Exception {
    JdbcAccessKeyStore store = new JdbcAccessKeyStore(db);
    List<AuditLog.Outcome> duringTheChange = new ArrayList<>();
    String made =
        new AccessKeys(
                "AKIDadmin",
                "admin-secret",
                store,
                MasterKey.load(
                    java.nio.file.Files.createTempDirectory("contract-master"), Map.of()),
                store,
                () -> T0)
            .audited(
                "AKIDadmin",
                "PUT ci /queue/{id}",
                BUCKET,
                "/queue/q1",
                () -> {
                  duringTheChange.add(store.list(null, 1).getFirst().outcome());
                  return "made";
                });
    assertThat(made).isEqualTo("made");
    assertThat(duringTheChange).containsExactly(AuditLog.Outcome.UNKNOWN);
    long failed = store.begin(T0.plusSeconds(1), "AKIDscoped", "DELETE", BUCKET, "/template/t1");
    store.settle(failed, AuditLog.Outcome.FAILED);
    // a node that stopped between the change and its answer leaves its entry unsettled
    long unsettled = store.begin(T0.plusSeconds(2), "AKIDadmin", "POST", BUCKET, "/workflow/w1");

    assertThat(store.list(null, 10))
        .extracting(e -> e.target() + " " + e.outcome() + " " + e.at())
        .containsExactly(
            "/workflow/w1 UNKNOWN " + T0.plusSeconds(2),
            "/template/t1 FAILED " + T0.plusSeconds(1),
            "/queue/q1 SUCCEEDED " + T0);
    assertThat(store.list(unsettled, 1))
        .as("the page before an entry")
        .extracting(AuditLog.Entry::seq)
        .containsExactly(failed);
  }

  Job aJob(int level, Instant created) {
    return new Job(
        Ids.jobId(T0),
        0,
        queue.id(),
        "NoiseReduction",
        JobState.Submitted,
        0,
        "Success",
        "",
        new ObjectRef(BUCKET, "ap-guangzhou", "in/a.wav"),
        new JobOperation(
            new ObjectRef(BUCKET, "ap-guangzhou", "out/a.wav"),
            "t1",
            "data",
            level,
            Map.of("Format", "wav", "SampleRate", "16000")),
        new CallbackRequest("http://example.com/cb", false, CallbackFormat.JSON, "Url"),
        created,
        null,
        null,
        0,
        null);
  }

  // The transactions the domain composes from the stores' methods, as it composes them: the
  // guarantees below hold for what commits together.

  Job insert(Job job) {
    return transactions.inTransaction(tx -> jobs.insert(tx, job));
  }

  Job insertClaimedIfFree(Job job, IdleWorkers.Lease lease) {
    return transactions.inTransaction(tx -> jobs.insertClaimedIfFree(tx, job, lease));
  }

  /** A staged output: its index entry and its bytes. */
  record Output(ObjectInfo info, byte[] bytes) {}

  /**
   * What a job's end wrote: the blob each output replaced, or nothing at all for want of the lease.
   */
  sealed interface Finished {
    record Recorded(List<Optional<String>> replacedBlobs) implements Finished {}

    record LeaseLost() implements Finished {}
  }

  /** A job's end as the workers write it: final state, outputs, callback, the workflow event. */
  Finished finish(
      Job finished, String owner, Optional<PendingCallback> callback, List<Output> outputs) {
    return transactions.inTransaction(
        tx -> {
          if (!jobs.finish(tx, finished, owner)) {
            return new Finished.LeaseLost();
          }
          List<Optional<String>> replaced =
              outputs.stream().map(o -> objects.upsert(tx, o.info(), o.bytes())).toList();
          callback.ifPresent(cb -> outbox.enqueue(tx, cb));
          triggers.ended(tx, finished);
          return new Finished.Recorded(replaced);
        });
  }

  boolean cancel(Job cancelled, Optional<PendingCallback> callback) {
    return transactions.inTransaction(
        tx -> {
          if (!jobs.cancel(tx, cancelled)) {
            return false;
          }
          callback.ifPresent(cb -> outbox.enqueue(tx, cb));
          triggers.ended(tx, cancelled);
          return true;
        });
  }

  void enqueue(PendingCallback... callbacks) {
    transactions.inTransaction(
        tx -> {
          for (PendingCallback cb : callbacks) {
            outbox.enqueue(tx, cb);
          }
          return null;
        });
  }

  /**
   * An object's entry, as a client upload ({@code upload} headers) or jobhook's own write (null)
   * stores it.
   */
  Optional<String> upsert(ObjectInfo info, byte[] data, List<CosHeader> upload) {
    return transactions.inTransaction(
        tx -> {
          Optional<String> replaced = objects.upsert(tx, info, data);
          if (upload != null) {
            triggers.uploaded(tx, info, upload);
          }
          return replaced;
        });
  }

  record RunStart(WorkflowRun run, List<Job> jobs) {}

  record RunStep(WorkflowRun run, List<Job> newJobs, Optional<PendingCallback> callback) {}

  /** Runs started from an event (null: a manual trigger), as the workflow engine starts them. */
  boolean startRuns(WorkflowEvent event, List<RunStart> runs) {
    return transactions.inTransaction(
        tx -> {
          if (event != null && !workflows.consume(tx, event)) {
            return false;
          }
          for (RunStart start : runs) {
            workflows.insertRun(tx, start.run());
            start.jobs().forEach(job -> jobs.insert(tx, job));
          }
          return true;
        });
  }

  /**
   * A run moved on from an event, as the workflow engine does it: all of it, or none if the run
   * changed.
   */
  boolean advance(WorkflowEvent event, RunStep step) {
    try {
      return transactions.inTransaction(
          tx -> {
            if (!workflows.consume(tx, event)) {
              return false;
            }
            if (step == null) {
              return true;
            }
            if (!workflows.updateRun(tx, step.run())) {
              throw new IllegalStateException("run changed");
            }
            step.newJobs().forEach(job -> jobs.insert(tx, job));
            step.callback().ifPresent(cb -> outbox.enqueue(tx, cb));
            return true;
          });
    } catch (IllegalStateException runChanged) {
      return false;
    }
  }

  PendingCallback aCallback(String jobId, Instant at) {
    return PendingCallback.create(
        Ids.callbackId(T0),
        jobId,
        BUCKET,
        queue.id(),
        "TaskFinish",
        "http://example.com/cb",
        "application/xml",
        "<Response/>".getBytes(StandardCharsets.UTF_8),
        at,
        at);
  }

  @Test
  void the_default_queue_is_created_once_per_bucket() {
    assertThat(queues.defaultQueue(BUCKET, T0.plusSeconds(5), MAX_CONCURRENT).id())
        .isEqualTo(queue.id());
    assertThat(queues.list(BUCKET)).hasSize(1);
    assertThat(queues.defaultQueue("other-1", T0, MAX_CONCURRENT).id()).isNotEqualTo(queue.id());
  }

  @Test
  void insert_then_find_round_trips_every_field() {
    Job job = insert(aJob(1, T0));
    Job found = jobs.find(BUCKET, job.id()).orElseThrow();
    assertThat(found).usingRecursiveComparison().ignoringFields("seq").isEqualTo(job);
    assertThat(found.seq()).isPositive();
    assertThat(jobs.find("another-bucket", job.id())).isEmpty();
  }

  @Test
  void claimDue_takes_the_highest_job_level_first_then_the_oldest() {
    Job low = insert(aJob(0, T0));
    Job high = insert(aJob(2, T0.plusSeconds(1)));
    Job mid = insert(aJob(1, T0.plusSeconds(2)));
    List<Job> claimed = jobs.claimDue("node-a", T0.plusSeconds(10), T0.plusSeconds(40), 3).jobs();
    assertThat(claimed).extracting(Job::id).containsExactly(high.id(), mid.id(), low.id());
    assertThat(claimed)
        .allSatisfy(
            j -> {
              assertThat(j.state()).isEqualTo(JobState.Running);
              assertThat(j.startTime()).isEqualTo(T0.plusSeconds(10));
              assertThat(j.attempts()).isEqualTo(1);
            });
  }

  @Test
  void claimDue_skips_jobs_leased_by_another_node_until_the_lease_expires() {
    Job job = insert(aJob(0, T0));
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs()).hasSize(1);
    assertThat(jobs.claimDue("node-b", T0.plusSeconds(10), T0.plusSeconds(40), 5).jobs()).isEmpty();
    List<Job> reclaimed = jobs.claimDue("node-b", T0.plusSeconds(31), T0.plusSeconds(61), 5).jobs();
    assertThat(reclaimed).extracting(Job::id).containsExactly(job.id());
    assertThat(reclaimed.getFirst().startTime()).as("the first start is kept").isEqualTo(T0);
    assertThat(reclaimed.getFirst().attempts()).isEqualTo(2);
  }

  @Test
  void a_job_set_aside_for_a_retry_runs_again_after_its_time_on_any_node() {
    Job job = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5);
    assertThat(jobs.retryLater(job.id(), "node-b", T0.plusSeconds(60)))
        .as("not node-b's lease")
        .isFalse();
    assertThat(jobs.retryLater(job.id(), "node-a", T0.plusSeconds(60))).isTrue();
    assertThat(jobs.retryLater(job.id(), "node-a", T0.plusSeconds(60)))
        .as("set aside once")
        .isFalse();
    assertThat(jobs.renewLeases("node-a", T0.plusSeconds(90))).as("no longer node-a's").isZero();
    assertThat(jobs.find(BUCKET, job.id()).orElseThrow().state()).isEqualTo(JobState.Running);
    assertThat(jobs.claimDue("node-b", T0.plusSeconds(59), T0.plusSeconds(90), 5).jobs())
        .as("not yet")
        .isEmpty();
    List<Job> again = jobs.claimDue("node-b", T0.plusSeconds(61), T0.plusSeconds(91), 5).jobs();
    assertThat(again).extracting(Job::id).containsExactly(job.id());
    assertThat(again.getFirst().attempts()).isEqualTo(2);
  }

  @Test
  void a_job_waiting_for_its_retry_holds_none_of_its_queues_slots() {
    Job job = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5);
    jobs.retryLater(job.id(), "node-a", T0.plusSeconds(600));
    for (int i = 0; i < MAX_CONCURRENT; i++) {
      insert(aJob(0, T0.plusMillis(i + 1)));
    }
    List<Job> claimed = jobs.claimDue("node-b", T0.plusSeconds(10), T0.plusSeconds(40), 100).jobs();
    assertThat(claimed).hasSize(MAX_CONCURRENT).extracting(Job::id).doesNotContain(job.id());
    Job ended = claimed.getFirst();
    finish(
        ended.finished(JobState.Success, "Success", "SUCCESS", T0.plusSeconds(11)),
        "node-b",
        Optional.empty(),
        List.of());
    Job next =
        insertClaimedIfFree(
            aJob(0, T0.plusSeconds(12)), new IdleWorkers.Lease("node-b", T0.plusSeconds(42)));
    assertThat(next.state()).as("the slot the ended job left is free").isEqualTo(JobState.Running);
  }

  @Test
  void renewed_leases_keep_a_job_from_other_nodes() {
    insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs();
    assertThat(jobs.renewLeases("node-a", T0.plusSeconds(90))).isEqualTo(1);
    assertThat(jobs.claimDue("node-b", T0.plusSeconds(60), T0.plusSeconds(90), 5).jobs()).isEmpty();
  }

  @Test
  void claimDue_holds_jobs_of_a_paused_queue() {
    insert(aJob(0, T0));
    queues.update(
        new Queue(
            queue.id(),
            BUCKET,
            queue.name(),
            Queue.QueueState.Paused,
            queue.maxSize(),
            queue.maxConcurrent(),
            queue.notifyConfig(),
            queue.category(),
            queue.createTime(),
            T0));
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs()).isEmpty();
    queues.update(queue);
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs()).hasSize(1);
  }

  @Test
  void a_job_submitted_while_nothing_waits_is_stored_claimed_and_leased() {
    IdleWorkers.Lease lease = new IdleWorkers.Lease("node-a", T0.plusSeconds(30));
    Job job = insertClaimedIfFree(aJob(0, T0), lease);
    assertThat(job.state()).isEqualTo(JobState.Running);
    assertThat(job.startTime()).isEqualTo(T0);
    assertThat(job.attempts()).isEqualTo(1);
    assertThat(jobs.find(BUCKET, job.id()).orElseThrow())
        .usingRecursiveComparison()
        .ignoringFields("seq")
        .isEqualTo(job);
    assertThat(jobs.claimDue("node-b", T0.plusSeconds(10), T0.plusSeconds(40), 5).jobs())
        .as("leased to node-a")
        .isEmpty();
    assertThat(jobs.renewLeases("node-a", T0.plusSeconds(60))).isEqualTo(1);
    assertThat(
            finish(
                job.finished(JobState.Success, "Success", "", T0.plusSeconds(1)),
                "node-a",
                Optional.empty(),
                List.of()))
        .isInstanceOf(Finished.Recorded.class);
  }

  @Test
  void a_submitted_job_is_not_claimed_at_insert_past_waiting_jobs_a_paused_queue_or_a_full_one() {
    IdleWorkers.Lease lease = new IdleWorkers.Lease("node-a", T0.plusSeconds(30));
    Job waiting = insert(aJob(0, T0));
    assertThat(insertClaimedIfFree(aJob(2, T0), lease).state())
        .as("a job waits already")
        .isEqualTo(JobState.Submitted);
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 100).jobs()).hasSize(2);

    queues.update(
        new Queue(
            queue.id(),
            BUCKET,
            queue.name(),
            Queue.QueueState.Paused,
            queue.maxSize(),
            queue.maxConcurrent(),
            queue.notifyConfig(),
            queue.category(),
            queue.createTime(),
            T0));
    assertThat(insertClaimedIfFree(aJob(0, T0), lease).state())
        .as("paused queue")
        .isEqualTo(JobState.Submitted);
    queues.update(queue);
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 100).jobs()).hasSize(1);

    for (int i = 3; i < MAX_CONCURRENT; i++) {
      assertThat(insertClaimedIfFree(aJob(0, T0), lease).state()).isEqualTo(JobState.Running);
    }
    assertThat(insertClaimedIfFree(aJob(0, T0), lease).state())
        .as("queue at MaxConcurrent")
        .isEqualTo(JobState.Submitted);
    assertThat(jobs.find(BUCKET, waiting.id()).orElseThrow().state()).isEqualTo(JobState.Running);
  }

  @Test
  void a_claim_says_whether_it_left_jobs_waiting() {
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).othersWaiting())
        .as("nothing stored")
        .isFalse();
    for (int i = 0; i < 3; i++) {
      insert(aJob(0, T0.plusMillis(i)));
    }
    JobStore.Claimed two = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 2);
    assertThat(two.jobs()).hasSize(2);
    assertThat(two.othersWaiting()).as("one beyond the limit").isTrue();
    JobStore.Claimed last = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5);
    assertThat(last.jobs()).hasSize(1);
    assertThat(last.othersWaiting()).as("took every claimable job").isFalse();

    for (int i = 3; i < MAX_CONCURRENT + 2; i++) {
      insert(aJob(0, T0.plusMillis(i)));
    }
    JobStore.Claimed full = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 100);
    assertThat(full.jobs()).as("up to MaxConcurrent").hasSize(MAX_CONCURRENT - 3);
    assertThat(full.othersWaiting()).as("two held back by the queue's MaxConcurrent").isTrue();
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 100).othersWaiting())
        .as("still held back")
        .isTrue();
  }

  @Test
  void claimDue_never_runs_more_than_the_queue_allows_at_once() {
    for (int i = 0; i < MAX_CONCURRENT + 5; i++) {
      insert(aJob(0, T0.plusMillis(i)));
    }
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 100).jobs()).hasSize(MAX_CONCURRENT);
    assertThat(jobs.claimDue("node-b", T0, T0.plusSeconds(30), 100).jobs()).isEmpty();
  }

  @Test
  void finish_writes_the_final_state_its_outputs_and_its_callback_together() {
    objects.intend("blob-1", T0); // announced before its bytes, as every blob's writer does
    upsert(
        new ObjectInfo(BUCKET, "out/a.wav", 9, "md5", "audio/wav", Map.of(), T0, "blob-1"),
        null,
        null);
    Job job = insert(aJob(0, T0));
    Job running = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs().getFirst();
    Job done = running.finished(JobState.Success, "Success", "SUCCESS", T0.plusSeconds(3));
    var outcome =
        finish(
            done,
            "node-a",
            Optional.of(aCallback(job.id(), T0.plusSeconds(3))),
            List.of(anOutput("out/a.wav", "new"), anOutput("out/b.wav", "bee")));
    assertThat(outcome)
        .as("the blob out/a.wav had, and none for the new out/b.wav")
        .isEqualTo(new Finished.Recorded(List.of(Optional.of("blob-1"), Optional.empty())));
    Job stored = jobs.find(BUCKET, job.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(JobState.Success);
    assertThat(stored.progress()).isEqualTo(100);
    assertThat(stored.endTime()).isEqualTo(T0.plusSeconds(3));
    assertThat(objects.load(BUCKET, "out/a.wav").orElseThrow().inlineData())
        .asString()
        .isEqualTo("new");
    assertThat(objects.load(BUCKET, "out/b.wav").orElseThrow().inlineData())
        .asString()
        .isEqualTo("bee");
    assertThat(outbox.claimDue("node-a", T0.plusSeconds(3), T0.plusSeconds(60), 10, Set.of()))
        .extracting(PendingCallback::jobId)
        .containsExactly(job.id());
  }

  @Test
  void finish_after_losing_the_lease_changes_nothing() {
    Job job = insert(aJob(0, T0));
    Job mine = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs().getFirst();
    jobs.claimDue("node-b", T0.plusSeconds(31), T0.plusSeconds(61), 1).jobs();
    var outcome =
        finish(
            mine.finished(JobState.Failed, "X", "y", T0.plusSeconds(32)),
            "node-a",
            Optional.of(aCallback(job.id(), T0)),
            List.of(anOutput("out/late.wav", "late")));
    assertThat(outcome).isInstanceOf(Finished.LeaseLost.class);
    assertThat(jobs.find(BUCKET, job.id()).orElseThrow().state()).isEqualTo(JobState.Running);
    assertThat(outbox.claimDue("node-a", T0.plusSeconds(40), T0.plusSeconds(99), 10, Set.of()))
        .isEmpty();
    assertThat(objects.find(BUCKET, "out/late.wav")).as("the lost run's output").isEmpty();
  }

  /** An inline output as a processor stages it. */
  static Output anOutput(String key, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new Output(
        new ObjectInfo(
            BUCKET, key, bytes.length, "md5", "audio/wav", Map.of(), T0, ObjectInfo.INLINE),
        bytes);
  }

  @Test
  void cancel_works_only_while_the_job_is_submitted() {
    Job waiting = insert(aJob(0, T0));
    assertThat(cancel(waiting.finished(JobState.Cancel, "Cancel", "c", T0), Optional.empty()))
        .isTrue();
    assertThat(jobs.find(BUCKET, waiting.id()).orElseThrow().state()).isEqualTo(JobState.Cancel);
    Job started = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs();
    assertThat(cancel(started.finished(JobState.Cancel, "Cancel", "c", T0), Optional.empty()))
        .isFalse();
  }

  @Test
  void releaseAllLeases_returns_running_jobs_to_the_queue() {
    Job job = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 5).jobs();
    assertThat(jobs.releaseAllLeases()).isEqualTo(1);
    assertThat(jobs.claimDue("node-b", T0.plusSeconds(1), T0.plusSeconds(31), 5).jobs())
        .extracting(Job::id)
        .containsExactly(job.id());
  }

  @Test
  void a_stopping_node_hands_back_its_own_leases_and_no_others() {
    Job mine = insert(aJob(0, T0));
    Job theirs = insert(aJob(0, T0.plusSeconds(1)));
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs())
        .extracting(Job::id)
        .containsExactly(mine.id());
    jobs.claimDue("node-b", T0, T0.plusSeconds(30), 1);
    assertThat(jobs.releaseLeasesOf("node-a")).isEqualTo(1);
    assertThat(jobs.find(BUCKET, mine.id()).orElseThrow().state()).isEqualTo(JobState.Submitted);
    assertThat(jobs.find(BUCKET, theirs.id()).orElseThrow().state()).isEqualTo(JobState.Running);
    assertThat(jobs.claimDue("node-c", T0.plusSeconds(1), T0.plusSeconds(31), 5).jobs())
        .as("taken over at once, long before the lease would have run out")
        .extracting(Job::id)
        .containsExactly(mine.id());

    finish(
        jobs.find(BUCKET, theirs.id())
            .orElseThrow()
            .finished(JobState.Success, "Success", "SUCCESS", T0.plusSeconds(2)),
        "node-b",
        Optional.of(aCallback(theirs.id(), T0.plusSeconds(2))),
        List.of());
    assertThat(outbox.claimDue("node-a", T0.plusSeconds(2), T0.plusSeconds(60), 10, Set.of()))
        .hasSize(1);
    assertThat(outbox.releaseLeasesOf("node-b")).as("not node-b's").isZero();
    assertThat(outbox.releaseLeasesOf("node-a")).isEqualTo(1);
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(3), T0.plusSeconds(60), 10, Set.of()))
        .as("due again at once")
        .hasSize(1);
  }

  @Test
  void list_filters_and_pages_in_both_orders() {
    Job a = insert(aJob(0, T0));
    Job b = insert(aJob(0, T0.plus(1, ChronoUnit.HOURS)));
    Job c = insert(aJob(0, T0.plus(2, ChronoUnit.HOURS)));
    JobPage first =
        jobs.list(BUCKET, new JobQuery(null, null, null, null, null, false, null, 2, null, null));
    assertThat(first.jobs()).extracting(Job::id).containsExactly(c.id(), b.id());
    JobPage second =
        jobs.list(
            BUCKET,
            new JobQuery(null, null, null, null, null, false, first.nextSeq(), 2, null, null));
    assertThat(second.jobs()).extracting(Job::id).containsExactly(a.id());
    assertThat(second.nextSeq()).isNull();
    JobPage window =
        jobs.list(
            BUCKET,
            new JobQuery(
                queue.id(),
                "NoiseReduction",
                EnumSet.of(JobState.Submitted),
                T0.plusSeconds(1),
                T0.plus(2, ChronoUnit.HOURS),
                true,
                null,
                10,
                null,
                null));
    assertThat(window.jobs()).extracting(Job::id).containsExactly(b.id(), c.id());
    assertThat(
            jobs.list(
                    BUCKET,
                    new JobQuery(null, "Other", null, null, null, true, null, 10, null, null))
                .jobs())
        .isEmpty();
  }

  @Test
  void list_filters_by_the_workflow_that_started_a_job_and_by_its_input() {
    Workflow w = aWorkflow(WorkflowState.Active);
    Job byWorkflow = insert(aWorkflowJob(aRun(w), "Denoise_1"));
    Job plain = aJob(0, T0);
    Job otherInput =
        insert(
            new Job(
                Ids.jobId(T0),
                0,
                plain.queueId(),
                plain.tag(),
                plain.state(),
                0,
                plain.code(),
                plain.message(),
                new ObjectRef(BUCKET, "ap-guangzhou", "in/other.wav"),
                plain.operation(),
                plain.callback(),
                T0,
                null,
                null,
                0,
                null));
    insert(plain);

    assertThat(
            jobs.list(
                    BUCKET,
                    new JobQuery(null, null, null, null, null, false, null, 10, w.id(), null))
                .jobs())
        .extracting(Job::id)
        .containsExactly(byWorkflow.id());
    assertThat(
            jobs.list(
                    BUCKET,
                    new JobQuery(
                        null, null, null, null, null, false, null, 10, null, "in/other.wav"))
                .jobs())
        .extracting(Job::id)
        .containsExactly(otherInput.id());
    assertThat(
            jobs.list(
                    BUCKET,
                    new JobQuery(null, null, null, null, null, false, null, 10, "wNONE", null))
                .jobs())
        .isEmpty();
  }

  @Test
  void outbox_leases_callbacks_and_reschedules_failed_attempts() {
    Job job = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs();
    PendingCallback cb = aCallback(job.id(), T0);
    finish(
        jobs.find(BUCKET, job.id())
            .orElseThrow()
            .finished(JobState.Success, "Success", "SUCCESS", T0),
        "node-a",
        Optional.of(cb),
        List.of());
    PendingCallback claimed =
        outbox.claimDue("node-a", T0, T0.plusSeconds(20), 10, Set.of()).getFirst();
    assertThat(claimed.body()).isEqualTo(cb.body());
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(1), T0.plusSeconds(20), 10, Set.of()))
        .as("leased")
        .isEmpty();

    var failed =
        new AttemptResult(
            new DeliveryOutcome.RetryLater(500, "HTTP 500"),
            "127.0.0.1:1",
            Duration.ofMillis(3),
            "oops");
    outbox.recordAttempts(
        List.of(
            new AttemptRecord(
                claimed, T0.plusSeconds(1), failed, DeliveryState.Pending, T0.plusSeconds(6))));
    assertThat(outbox.claimDue("node-a", T0.plusSeconds(5), T0.plusSeconds(20), 10, Set.of()))
        .as("not yet due")
        .isEmpty();
    PendingCallback retry =
        outbox.claimDue("node-a", T0.plusSeconds(6), T0.plusSeconds(20), 10, Set.of()).getFirst();
    assertThat(retry.attempts()).isEqualTo(1);
    assertThat(retry.id()).isEqualTo(cb.id());

    var ok =
        new AttemptResult(
            new DeliveryOutcome.Delivered(200), "127.0.0.1:1", Duration.ofMillis(2), null);
    outbox.recordAttempts(
        List.of(new AttemptRecord(retry, T0.plusSeconds(7), ok, DeliveryState.Delivered, null)));
    assertThat(
            outbox.claimDue(
                "node-a", T0.plus(1, ChronoUnit.DAYS), T0.plus(2, ChronoUnit.DAYS), 10, Set.of()))
        .isEmpty();
    assertThat(attemptsLogged(cb.id())).isEqualTo(2);
  }

  @Test
  void an_expired_callback_lease_is_claimed_again() {
    Job job = insert(aJob(0, T0));
    jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs();
    finish(
        jobs.find(BUCKET, job.id())
            .orElseThrow()
            .finished(JobState.Success, "Success", "SUCCESS", T0),
        "node-a",
        Optional.of(aCallback(job.id(), T0)),
        List.of());
    outbox.claimDue("node-a", T0, T0.plusSeconds(20), 10, Set.of());
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(21), T0.plusSeconds(40), 10, Set.of()))
        .hasSize(1);
  }

  @Test
  void callbacks_of_one_job_go_out_in_order_and_blocked_destinations_wait() {
    Job job = insert(aJob(0, T0));
    PendingCallback first = aCallback(job.id(), T0);
    PendingCallback second = aCallback(job.id(), T0);
    PendingCallback elsewhere =
        PendingCallback.create(
            Ids.callbackId(T0),
            "j-other",
            BUCKET,
            queue.id(),
            "TaskFinish",
            "http://other.example.com:8080/cb",
            "application/xml",
            new byte[] {1},
            T0,
            T0);
    enqueue(first, second, elsewhere);
    List<PendingCallback> claimed =
        outbox.claimDue("n", T0, T0.plusSeconds(1), 10, Set.of("http://other.example.com:8080"));
    assertThat(claimed).extracting(PendingCallback::id).containsExactly(first.id());
    var ok = new AttemptResult(new DeliveryOutcome.Delivered(200), null, Duration.ZERO, null);
    outbox.recordAttempts(
        List.of(new AttemptRecord(claimed.getFirst(), T0, ok, DeliveryState.Delivered, null)));
    assertThat(outbox.claimDue("n", T0.plusSeconds(2), T0.plusSeconds(3), 10, Set.of()))
        .extracting(PendingCallback::id)
        .containsExactlyInAnyOrder(second.id(), elsewhere.id());
  }

  @Test
  void a_callback_stored_leased_is_sent_without_a_claim_unless_an_earlier_one_of_its_job_waits() {
    Job job = insert(aJob(0, T0));
    PendingCallback first = aCallback(job.id(), T0);
    Optional<PendingCallback> leased =
        transactions.inTransaction(
            tx -> outbox.enqueueLeased(tx, first, "node-a", T0.plusSeconds(20)));
    assertThat(leased).isPresent();
    assertThat(leased.get().seq()).as("stored").isPositive();
    assertThat(leased.get().body()).isEqualTo(first.body());
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(19), T0.plusSeconds(40), 10, Set.of()))
        .as("leased to node-a")
        .isEmpty();

    // a second callback of the same job waits for the first: stored due, not leased
    PendingCallback second = aCallback(job.id(), T0);
    Optional<PendingCallback> secondLeased =
        transactions.inTransaction(
            tx -> outbox.enqueueLeased(tx, second, "node-a", T0.plusSeconds(20)));
    assertThat(secondLeased).isEmpty();
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(1), T0.plusSeconds(40), 10, Set.of()))
        .as("behind the first")
        .isEmpty();

    // the attempt of the leased one is recorded as a claimed one's is; then the second goes out
    var ok = new AttemptResult(new DeliveryOutcome.Delivered(200), null, Duration.ZERO, null);
    outbox.recordAttempts(
        List.of(
            new AttemptRecord(leased.get(), T0.plusSeconds(1), ok, DeliveryState.Delivered, null)));
    assertThat(attemptsLogged(first.id())).isEqualTo(1);
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(2), T0.plusSeconds(40), 10, Set.of()))
        .extracting(PendingCallback::id)
        .containsExactly(second.id());

    // a node that dies before sending one: its lease runs out and another node claims it
    Job other = insert(aJob(0, T0));
    PendingCallback orphan = aCallback(other.id(), T0);
    transactions.inTransaction(
        tx -> outbox.enqueueLeased(tx, orphan, "node-a", T0.plusSeconds(20)));
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(21), T0.plusSeconds(40), 10, Set.of()))
        .extracting(PendingCallback::id)
        .containsExactly(orphan.id());
  }

  /** A callback of its own job to {@code host}, due at {@code dueAt}. */
  PendingCallback toHost(String host, Instant dueAt) {
    return PendingCallback.create(
        Ids.callbackId(T0),
        Ids.jobId(T0),
        BUCKET,
        queue.id(),
        "TaskFinish",
        "http://" + host + ":8080/cb",
        "application/xml",
        new byte[] {1},
        T0,
        dueAt);
  }

  @Test
  void a_claim_past_a_blocked_destination_s_backlog_takes_the_oldest_due_of_the_others() {
    List<PendingCallback> backlog = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      backlog.add(toHost("dead.example.com", T0.minusSeconds(600 - i)));
    }
    enqueue(backlog.toArray(PendingCallback[]::new));
    PendingCallback b1 = toHost("b.example.com", T0.minusSeconds(50));
    PendingCallback b2 = toHost("b.example.com", T0.minusSeconds(30));
    PendingCallback b3 = toHost("b.example.com", T0.minusSeconds(10));
    PendingCallback c1 = toHost("c.example.com", T0.minusSeconds(40));
    PendingCallback c2 = toHost("c.example.com", T0.minusSeconds(20));
    PendingCallback later = toHost("c.example.com", T0.plusSeconds(60));
    enqueue(b1, b2, b3, c1, c2, later);
    Set<String> dead = Set.of("http://dead.example.com:8080");

    assertThat(outbox.claimDue("n", T0, T0.plusSeconds(30), 4, dead))
        .as("the oldest due first, across destinations")
        .extracting(PendingCallback::id)
        .containsExactly(b1.id(), c1.id(), b2.id(), c2.id());
    assertThat(outbox.claimDue("n", T0, T0.plusSeconds(30), 10, dead))
        .as("what is left and due; nothing leased, nothing of the blocked destination")
        .extracting(PendingCallback::id)
        .containsExactly(b3.id());
    assertThat(outbox.claimDue("n", T0, T0.plusSeconds(30), 10, Set.of()))
        .as("unblocked, the backlog's oldest")
        .hasSize(10)
        .extracting(PendingCallback::id)
        .containsExactlyElementsOf(
            backlog.subList(0, 10).stream().map(PendingCallback::id).toList());
  }

  @Test
  void a_stale_attempt_record_after_a_lost_lease_changes_nothing() {
    Job job = insert(aJob(0, T0));
    PendingCallback cb = aCallback(job.id(), T0);
    enqueue(cb);
    PendingCallback mine = outbox.claimDue("a", T0, T0.plusSeconds(1), 1, Set.of()).getFirst();
    PendingCallback theirs =
        outbox.claimDue("b", T0.plusSeconds(2), T0.plusSeconds(9), 1, Set.of()).getFirst();
    var ok = new AttemptResult(new DeliveryOutcome.Delivered(200), null, Duration.ZERO, null);
    outbox.recordAttempts(
        List.of(new AttemptRecord(theirs, T0.plusSeconds(3), ok, DeliveryState.Delivered, null)));
    var late =
        new AttemptResult(new DeliveryOutcome.RetryLater(500, "late"), null, Duration.ZERO, null);
    outbox.recordAttempts(
        List.of(
            new AttemptRecord(
                mine, T0.plusSeconds(4), late, DeliveryState.Pending, T0.plusSeconds(5))));
    assertThat(
            outbox.claimDue(
                "c", T0.plus(1, ChronoUnit.DAYS), T0.plus(2, ChronoUnit.DAYS), 10, Set.of()))
        .isEmpty();
    assertThat(attemptsLogged(cb.id())).isEqualTo(1);
  }

  @Test
  void
      retention_prunes_delivered_then_failed_callbacks_with_their_attempts_and_bodies_never_pending_ones() {
    PendingCallback delivered = aCallback("j-1", T0);
    PendingCallback failed = aCallback("j-2", T0);
    PendingCallback pending = aCallback("j-3", T0);
    PendingCallback recent = aCallback("j-4", T0.plus(10, ChronoUnit.DAYS));
    enqueue(delivered, failed, pending, recent);
    List<PendingCallback> claimed =
        outbox.claimDue(
            "node-a", T0.plus(10, ChronoUnit.DAYS), T0.plus(11, ChronoUnit.DAYS), 10, Set.of());
    assertThat(claimed).hasSize(4);
    var ok = new AttemptResult(new DeliveryOutcome.Delivered(200), null, Duration.ZERO, null);
    var gone =
        new AttemptResult(new DeliveryOutcome.GiveUp(410, "HTTP 410"), null, Duration.ZERO, null);
    var later =
        new AttemptResult(
            new DeliveryOutcome.RetryLater(500, "HTTP 500"), null, Duration.ZERO, null);
    Instant at = T0.plus(10, ChronoUnit.DAYS);
    outbox.recordAttempts(
        claimed.stream()
            .map(
                cb ->
                    cb.id().equals(failed.id())
                        ? new AttemptRecord(cb, at, gone, DeliveryState.Failed, null)
                        : cb.id().equals(pending.id())
                            ? new AttemptRecord(
                                cb, at, later, DeliveryState.Pending, at.plusSeconds(60))
                            : new AttemptRecord(cb, at, ok, DeliveryState.Delivered, null))
            .toList());
    JdbcCallbackLog log = new JdbcCallbackLog(db);

    assertThat(log.prune(T0.plus(1, ChronoUnit.DAYS), T0.minus(1, ChronoUnit.DAYS), 10))
        .as("delivered, old; failed, not yet")
        .isEqualTo(1);
    assertThat(log.prune(T0.plus(100, ChronoUnit.DAYS), T0.plus(1, ChronoUnit.DAYS), 1))
        .as("failed, old, and recent, delivered: one at most")
        .isEqualTo(1);
    assertThat(attemptsLogged(failed.id())).as("the oldest first").isZero();
    assertThat(log.prune(T0.plus(100, ChronoUnit.DAYS), T0.plus(1, ChronoUnit.DAYS), 10))
        .as("then the other")
        .isEqualTo(1);
    assertThat(log.prune(T0.plus(1000, ChronoUnit.DAYS), T0.plus(1000, ChronoUnit.DAYS), 10))
        .as("pending stays")
        .isZero();
    assertThat(List.of(delivered, failed, recent))
        .allSatisfy(cb -> assertThat(attemptsLogged(cb.id())).isZero());
    assertThat(attemptsLogged(pending.id())).isEqualTo(1);
    assertThat(count("callbacks")).isEqualTo(1);
    assertThat(count("callback_bodies")).as("bodies go with their callbacks").isEqualTo(1);
    PendingCallback left =
        outbox.claimDue("node-a", at.plusSeconds(60), at.plusSeconds(90), 10, Set.of()).getFirst();
    assertThat(left.id()).isEqualTo(pending.id());
    assertThat(left.body()).isEqualTo(pending.body());
  }

  @Test
  void retention_takes_any_limit_and_prunes_more_callbacks_than_one_statement_may_name() {
    // more rows than SQLite lets one statement bind (32,766): each pass takes a bounded batch
    db.inTransaction(
        c -> {
          try (var s = c.createStatement()) {
            s.execute(
                """
                WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 40000)
                INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination,
                  content_type, state, attempts, round_start, next_attempt_at, created_at)
                SELECT 'cb' || x, 'j' || x, 'b-1250000000', 'p1', 'TaskFinish', 'http://r/cb',
                  'http://r:80', 'application/xml', 'Delivered', 1, 0, x, x FROM i""");
          }
          return null;
        });
    JdbcCallbackLog log = new JdbcCallbackLog(db);
    Instant later = Instant.ofEpochMilli(1_000_000);
    int pruned = 0;
    for (int batch; (batch = log.prune(later, later, Integer.MAX_VALUE)) > 0; ) {
      assertThat(batch).isLessThanOrEqualTo(1000);
      pruned += batch;
    }
    assertThat(pruned).isEqualTo(40_000);
    assertThat(count("callbacks")).isZero();
  }

  private int count(String table) {
    return db.read(
        c -> {
          try (var ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
              var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  private int attemptsLogged(String callbackId) {
    return db.read(
        c -> {
          try (var ps =
              c.prepareStatement("SELECT COUNT(*) FROM callback_attempts WHERE callback_id = ?")) {
            ps.setString(1, callbackId);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  // --- workflows ---

  static final List<CosHeader> HEADERS =
      List.of(
          new CosHeader("x-cos-meta-b", "2"),
          new CosHeader("Content-Type", "audio/wav"),
          new CosHeader("x-cos-meta-a", "1"));

  Workflow aWorkflow(WorkflowState state) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("Start", List.of("A", "B"));
    deps.put("A", List.of("End"));
    deps.put("B", List.of("End"));
    Map<String, Topology.Node> nodes = new LinkedHashMap<>();
    nodes.put(
        "Start",
        new Topology.Start(
            queue.id(),
            "in/",
            new Topology.ExtFilter(true, true, false, false, false, List.of("raw"))));
    nodes.put(
        "A",
        new Topology.Task(
            "NoiseReduction",
            "t1",
            Map.of("Format", "wav"),
            "ap-guangzhou",
            BUCKET,
            "out/${InputName}.${ext}"));
    nodes.put(
        "B",
        new Topology.Task(
            "NoiseReduction", "", Map.of(), "ap-guangzhou", BUCKET, "b/${RunId}.wav"));
    nodes.put("End", new Topology.End());
    return new Workflow(
        "w" + Ids.hex32(),
        BUCKET,
        "ap-guangzhou",
        "wf",
        state,
        Topology.of(deps, nodes, Set.of("NoiseReduction")),
        T0,
        T0);
  }

  WorkflowRun aRun(Workflow w) {
    return new WorkflowRun(
        Ids.workflowRunId(T0),
        BUCKET,
        "ap-guangzhou",
        w.id(),
        w.name(),
        "",
        "in/x.wav",
        HEADERS,
        w.topology(),
        RunState.Running,
        T0,
        null,
        0);
  }

  Job aWorkflowJob(WorkflowRun run, String node) {
    Job plain = aJob(0, T0);
    return new Job(
        plain.id(),
        0,
        plain.queueId(),
        plain.tag(),
        plain.state(),
        0,
        plain.code(),
        plain.message(),
        plain.input(),
        plain.operation(),
        new CallbackRequest(null, false, null, null),
        T0,
        null,
        null,
        0,
        new WorkflowOrigin(run.id(), run.workflowId(), run.workflowName(), node, run.cosHeaders()));
  }

  ObjectInfo anObject(String key) {
    return new ObjectInfo(BUCKET, key, 3, "md5", "audio/wav", Map.of(), T0, ObjectInfo.INLINE);
  }

  @Test
  void buckets_in_use_are_listed_by_name_with_the_region_first_known_until_forgotten() {
    JdbcBucketStore buckets = new JdbcBucketStore(db);
    assertThat(buckets.list(null)).as("none used yet").isEmpty();
    buckets.used("zeta-1250000000", "ap-beijing", T0);
    buckets.used("alpha-1250000000", "", T0.plusSeconds(1));
    buckets.used("alpha-1250000000", "ap-guangzhou", T0.plusSeconds(2));
    buckets.used("alpha-1250000000", "ap-chengdu", T0.plusSeconds(3));
    buckets.used("zeta-1250000000", "ap-beijing", T0.plusSeconds(4));
    assertThat(buckets.list(null))
        .containsExactly(
            new io.jobhook.object.BucketStore.Bucket(
                "alpha-1250000000", "ap-guangzhou", T0.plusSeconds(1)),
            new io.jobhook.object.BucketStore.Bucket("zeta-1250000000", "ap-beijing", T0));
    assertThat(buckets.list("ap-beijing"))
        .extracting(io.jobhook.object.BucketStore.Bucket::name)
        .containsExactly("zeta-1250000000");
    assertThat(buckets.forget("zeta-1250000000")).isTrue();
    assertThat(buckets.forget("zeta-1250000000")).isFalse();
    assertThat(buckets.list(null))
        .extracting(io.jobhook.object.BucketStore.Bucket::name)
        .containsExactly("alpha-1250000000");
  }

  @Test
  void a_buckets_cors_rules_round_trip_in_order_are_replaced_whole_and_deleted() {
    JdbcCorsStore cors = new JdbcCorsStore(db);
    var reads =
        new io.jobhook.object.CorsRule(
            "reads", List.of("*"), List.of("GET", "HEAD"), List.of(), List.of("ETag"), null);
    var writes =
        new io.jobhook.object.CorsRule(
            "",
            List.of("https://app.example.com", "http://*.example.net"),
            List.of("PUT", "POST"),
            List.of("*"),
            List.of(),
            600);
    assertThat(cors.find(BUCKET)).isEmpty();
    cors.put(BUCKET, List.of(writes, reads), T0);
    assertThat(cors.find(BUCKET)).contains(List.of(writes, reads));
    assertThat(cors.find("other-1250000000")).as("per bucket").isEmpty();
    cors.put(BUCKET, List.of(reads), T0.plusSeconds(1));
    assertThat(cors.find(BUCKET)).contains(List.of(reads));
    assertThat(cors.delete(BUCKET)).isTrue();
    assertThat(cors.delete(BUCKET)).isFalse();
    assertThat(cors.find(BUCKET)).isEmpty();
  }

  @Test
  void templates_round_trip_per_bucket_keep_their_settings_in_order_and_are_deleted() {
    JdbcTemplateStore templates = new JdbcTemplateStore(db);
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("Samplerate", "16000");
    settings.put("Format", "mp3");
    Template t = new Template("t1", BUCKET, "nr-16k", "NoiseReduction", settings, T0, T0);
    templates.insert(t);
    templates.insert(
        new Template("t2", "other-1250000000", "x", "NoiseReduction", Map.of(), T0, T0));

    assertThat(templates.find(BUCKET, "t1")).contains(t);
    assertThat(templates.find(BUCKET, "t1").orElseThrow().settings().keySet())
        .containsExactly("Samplerate", "Format");
    assertThat(templates.find(BUCKET, "t2")).isEmpty();
    assertThat(templates.list(BUCKET)).extracting(Template::id).containsExactly("t1");

    Template renamed =
        new Template(
            "t1",
            BUCKET,
            "nr-8k",
            "NoiseReduction",
            Map.of("Samplerate", "8000"),
            T0,
            T0.plusSeconds(5));
    assertThat(templates.update(renamed)).isTrue();
    assertThat(templates.find(BUCKET, "t1")).contains(renamed);
    assertThat(
            templates.update(new Template("t9", BUCKET, "n", "NoiseReduction", Map.of(), T0, T0)))
        .isFalse();

    assertThat(templates.delete(BUCKET, "t1")).isTrue();
    assertThat(templates.delete(BUCKET, "t1")).isFalse();
    assertThat(templates.list(BUCKET)).isEmpty();
  }

  @Test
  void a_job_keeps_the_name_of_the_template_it_ran_with() {
    Job plain = aJob(0, T0);
    JobOperation op = plain.operation();
    Job templated =
        insert(
            new Job(
                plain.id(),
                0,
                plain.queueId(),
                plain.tag(),
                plain.state(),
                0,
                plain.code(),
                plain.message(),
                plain.input(),
                new JobOperation(
                    op.output(), "t1", "nr-16k", op.userData(), op.jobLevel(), op.settings()),
                plain.callback(),
                T0,
                null,
                null,
                0,
                null));
    assertThat(jobs.find(BUCKET, templated.id()).orElseThrow().operation().templateName())
        .isEqualTo("nr-16k");
  }

  @Test
  void workflows_round_trip_with_their_topology_and_state() {
    Workflow w = aWorkflow(WorkflowState.Active);
    workflows.insert(w);
    assertThat(workflows.find(BUCKET, w.id())).contains(w);
    Workflow paused =
        new Workflow(
            w.id(),
            BUCKET,
            w.region(),
            "renamed",
            WorkflowState.Paused,
            w.topology(),
            T0,
            T0.plusSeconds(1));
    assertThat(workflows.update(paused)).isTrue();
    assertThat(workflows.find(BUCKET, w.id())).contains(paused);
    assertThat(workflows.active(BUCKET)).isEmpty();
    assertThat(workflows.list(BUCKET)).containsExactly(paused);
    assertThat(workflows.delete(BUCKET, w.id())).isTrue();
    assertThat(workflows.delete(BUCKET, w.id())).isFalse();
  }

  @Test
  void an_upload_is_recorded_with_its_object_only_while_an_active_workflow_watches_the_bucket() {
    upsert(anObject("in/early.wav"), new byte[3], HEADERS);
    assertThat(workflows.pendingEvents(10, 10)).as("no workflow yet").isEmpty();
    workflows.insert(aWorkflow(WorkflowState.Active));
    upsert(anObject("in/x.wav"), new byte[3], HEADERS);
    upsert(anObject("out/x.wav"), new byte[3], null); // jobhook's own write
    List<WorkflowEvent> events = workflows.pendingEvents(10, 10);
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().kind()).isEqualTo(WorkflowEvent.Kind.Upload);
    assertThat(events.getFirst().subject()).isEqualTo("in/x.wav");
    assertThat(events.getFirst().headers()).isEqualTo(HEADERS);
  }

  @Test
  void starting_runs_consumes_the_event_exactly_once() {
    Workflow w = aWorkflow(WorkflowState.Active);
    workflows.insert(w);
    upsert(anObject("in/x.wav"), new byte[3], HEADERS);
    WorkflowEvent upload = workflows.pendingEvents(10, 10).getFirst();
    WorkflowRun run = aRun(w);
    var start = new RunStart(run, List.of(aWorkflowJob(run, "A"), aWorkflowJob(run, "B")));

    assertThat(startRuns(upload, List.of(start))).isTrue();
    assertThat(startRuns(upload, List.of(new RunStart(aRun(w), List.of())))).isFalse();
    assertThat(workflows.pendingEvents(10, 10)).isEmpty();
    assertThat(workflows.findRun(BUCKET, run.id())).contains(run);
    assertThat(
            workflows
                .listRuns(
                    BUCKET,
                    new WorkflowStore.RunQuery(w.id(), null, null, null, null, true, null, 10))
                .runs())
        .containsExactly(run);
    List<Job> started = jobs.jobsOfRun(run.id());
    assertThat(started).extracting(j -> j.workflow().nodeName()).containsExactly("A", "B");
    assertThat(started.getFirst().workflow().cosHeaders()).isEqualTo(HEADERS);
  }

  @Test
  void a_workflow_job_end_is_recorded_and_a_stale_advance_changes_nothing() {
    Workflow w = aWorkflow(WorkflowState.Active);
    workflows.insert(w);
    WorkflowRun run = aRun(w);
    startRuns(
        null, List.of(new RunStart(run, List.of(aWorkflowJob(run, "A"), aWorkflowJob(run, "B")))));
    for (Job running : jobs.claimDue("node-a", T0, T0.plusSeconds(30), 2).jobs()) {
      assertThat(
              finish(
                  running.finished(JobState.Success, "Success", "SUCCESS", T0.plusSeconds(1)),
                  "node-a",
                  Optional.empty(),
                  List.of()))
          .isInstanceOf(Finished.Recorded.class);
    }
    List<WorkflowEvent> ended = workflows.pendingEvents(10, 10);
    assertThat(ended)
        .extracting(WorkflowEvent::kind)
        .containsExactly(WorkflowEvent.Kind.JobEnded, WorkflowEvent.Kind.JobEnded);

    WorkflowRun done = run.ended(RunState.Success, T0.plusSeconds(2));
    var step = new RunStep(done, List.of(), Optional.of(aCallback(run.id(), T0.plusSeconds(2))));
    assertThat(advance(ended.get(0), step)).isTrue();
    assertThat(advance(ended.get(1), step)).as("run version moved on").isFalse();
    assertThat(workflows.pendingEvents(10, 10)).as("the stale event stays").hasSize(1);
    assertThat(workflows.findRun(BUCKET, run.id()).orElseThrow().state())
        .isEqualTo(RunState.Success);
    assertThat(outbox.claimDue("node-a", T0.plusSeconds(3), T0.plusSeconds(60), 10, Set.of()))
        .extracting(PendingCallback::jobId)
        .containsExactly(run.id());
    assertThat(advance(ended.get(1), null)).isTrue();
    assertThat(workflows.pendingEvents(10, 10)).isEmpty();
  }

  @Test
  void retention_deletes_ended_jobs_oldest_first_and_keeps_those_with_callbacks_or_not_ended() {
    Job plain = insert(aJob(0, T0));
    Job withCallback = insert(aJob(0, T0));
    Job recent = insert(aJob(0, T0));
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 3).jobs()).hasSize(3);
    endLeased(plain, JobState.Success, T0.plusSeconds(2), Optional.empty());
    endLeased(
        withCallback,
        JobState.Failed,
        T0.plusSeconds(1),
        Optional.of(aCallback(withCallback.id(), T0.plusSeconds(1))));
    endLeased(recent, JobState.Success, T0.plus(5, ChronoUnit.DAYS), Optional.empty());
    Job cancelled = insert(aJob(0, T0));
    assertThat(
            cancel(
                cancelled.finished(JobState.Cancel, "Cancel", "c", T0.plusSeconds(3)),
                Optional.empty()))
        .isTrue();
    Job running = insert(aJob(0, T0));
    assertThat(jobs.claimDue("node-a", T0, T0.plusSeconds(30), 1).jobs())
        .extracting(Job::id)
        .containsExactly(running.id());
    Job waiting = insert(aJob(0, T0));
    Instant cutoff = T0.plus(1, ChronoUnit.DAYS);

    assertThat(jobs.pruneEnded(cutoff, 1)).as("one at most").isEqualTo(1);
    assertThat(jobs.find(BUCKET, plain.id())).as("the oldest without a callback first").isEmpty();
    assertThat(jobs.find(BUCKET, cancelled.id())).isPresent();
    assertThat(jobs.pruneEnded(cutoff, 10)).isEqualTo(1);
    assertThat(jobs.find(BUCKET, cancelled.id())).isEmpty();
    assertThat(jobs.pruneEnded(cutoff, 10)).isZero();
    assertThat(List.of(withCallback, recent, running, waiting))
        .as("a callback in the log, an end after the cutoff, and jobs that have not ended stay")
        .allSatisfy(job -> assertThat(jobs.find(BUCKET, job.id())).isPresent());
    assertThat(jobs.pruneEnded(T0.plus(6, ChronoUnit.DAYS), 10)).isEqualTo(1);
    assertThat(jobs.find(BUCKET, recent.id())).isEmpty();
  }

  @Test
  void retention_deletes_ended_runs_with_their_jobs_once_no_job_runs_and_no_callback_is_left() {
    Workflow w = aWorkflow(WorkflowState.Active);
    workflows.insert(w);
    WorkflowRun done = aRun(w);
    WorkflowRun notified = aRun(w);
    WorkflowRun failedEarly = aRun(w);
    startRuns(
        null,
        List.of(done, notified, failedEarly).stream()
            .map(r -> new RunStart(r, List.of(aWorkflowJob(r, "A"), aWorkflowJob(r, "B"))))
            .toList());
    List<Job> claimed = jobs.claimDue("node-a", T0, T0.plusSeconds(30), 6).jobs();
    assertThat(claimed).hasSize(6);
    Job stillRunning =
        claimed.stream()
            .filter(j -> j.workflow().runId().equals(failedEarly.id()))
            .filter(j -> j.workflow().nodeName().equals("B"))
            .findFirst()
            .orElseThrow();
    claimed.stream()
        .filter(j -> j != stillRunning)
        .forEach(j -> endLeased(j, JobState.Success, T0.plusSeconds(1), Optional.empty()));
    transactions.inTransaction(
        tx -> {
          assertThat(workflows.updateRun(tx, done.ended(RunState.Success, T0.plusSeconds(2))))
              .isTrue();
          assertThat(workflows.updateRun(tx, notified.ended(RunState.Success, T0.plusSeconds(2))))
              .isTrue();
          assertThat(workflows.updateRun(tx, failedEarly.ended(RunState.Failed, T0.plusSeconds(2))))
              .isTrue();
          return null;
        });
    enqueue(aCallback(notified.id(), T0.plusSeconds(2)));
    Instant cutoff = T0.plus(1, ChronoUnit.DAYS);

    assertThat(jobs.pruneEnded(cutoff, 10)).as("a run's jobs go with their run").isZero();
    assertThat(workflows.pruneRuns(T0.plusSeconds(2), 10)).as("ended at the cutoff").isZero();
    assertThat(workflows.pruneRuns(cutoff, 10)).isEqualTo(1);
    assertThat(workflows.findRun(BUCKET, done.id())).isEmpty();
    assertThat(jobs.jobsOfRun(done.id())).isEmpty();
    assertThat(List.of(notified, failedEarly))
        .as("a callback in the log, a job still running")
        .allSatisfy(
            r -> {
              assertThat(workflows.findRun(BUCKET, r.id())).isPresent();
              assertThat(jobs.jobsOfRun(r.id())).hasSize(2);
            });
    assertThat(workflows.pruneRuns(cutoff, 10)).isZero();

    endLeased(stillRunning, JobState.Success, T0.plusSeconds(3), Optional.empty());
    assertThat(workflows.pruneRuns(cutoff, 10)).isEqualTo(1);
    assertThat(jobs.jobsOfRun(failedEarly.id())).isEmpty();
  }

  /** Ends a job this contract's node ("node-a") holds, with its callback if any. */
  private void endLeased(Job job, JobState state, Instant at, Optional<PendingCallback> callback) {
    assertThat(finish(job.finished(state, state.name(), "", at), "node-a", callback, List.of()))
        .isInstanceOf(Finished.Recorded.class);
  }

  @Test
  void an_event_that_keeps_failing_is_left_aside() {
    workflows.insert(aWorkflow(WorkflowState.Active));
    upsert(anObject("in/x.wav"), new byte[3], HEADERS);
    WorkflowEvent event = workflows.pendingEvents(10, 2).getFirst();
    workflows.failedAttempt(event);
    assertThat(workflows.pendingEvents(10, 2)).hasSize(1);
    assertThat(workflows.eventBacklog(2)).isEqualTo(new WorkflowStore.EventBacklog(1, 0));
    workflows.failedAttempt(event);
    assertThat(workflows.pendingEvents(10, 2)).isEmpty();
    assertThat(workflows.eventBacklog(2)).isEqualTo(new WorkflowStore.EventBacklog(1, 1));
  }
}
