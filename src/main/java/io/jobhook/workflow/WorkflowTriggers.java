package io.jobhook.workflow;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Wakeup;
import io.jobhook.job.Job;
import io.jobhook.job.JobEndListener;
import io.jobhook.object.CosHeader;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.UploadListener;
import java.util.List;

/**
 * The facts that move workflows on, recorded as events in the transaction of the fact itself: a
 * client upload (only while an Active workflow exists in the bucket: no other upload can start a
 * run), and the end of a job a run started. The workflow engine is woken once it has committed.
 * Thread-safe.
 */
public final class WorkflowTriggers implements UploadListener, JobEndListener {
  private final WorkflowStore store;
  private final Wakeup engine;

  public WorkflowTriggers(WorkflowStore store, Wakeup engine) {
    this.store = store;
    this.engine = engine;
  }

  @Override
  public void uploaded(Transaction tx, ObjectInfo object, List<CosHeader> headers) {
    if (store.hasActive(tx, object.bucket())) {
      store.recordEvent(
          tx,
          WorkflowEvent.Kind.Upload,
          object.bucket(),
          object.key(),
          headers,
          object.lastModified());
      tx.afterCommit(engine::signal);
    }
  }

  @Override
  public void ended(Transaction tx, Job job) {
    if (job.workflow() != null) {
      store.recordEvent(
          tx,
          WorkflowEvent.Kind.JobEnded,
          job.input().bucket(),
          job.id(),
          List.of(),
          job.endTime());
      tx.afterCommit(engine::signal);
    }
  }
}
