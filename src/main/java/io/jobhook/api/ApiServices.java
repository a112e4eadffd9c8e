package io.jobhook.api;

import io.jobhook.access.AccessKeys;
import io.jobhook.access.Sessions;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.Circuits;
import io.jobhook.callback.Redelivery;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.job.JobService;
import io.jobhook.job.QueueService;
import io.jobhook.object.Buckets;
import io.jobhook.object.CorsStore;
import io.jobhook.object.DiskSpace;
import io.jobhook.object.MultipartUploads;
import io.jobhook.object.ObjectStore;
import io.jobhook.template.TemplateService;
import io.jobhook.wire.CiTimes;
import io.jobhook.workflow.WorkflowService;
import java.time.InstantSource;
import java.util.List;

/** Everything the HTTP edge calls into, handed over in one piece. */
public record ApiServices(
    JobService jobs,
    QueueService queues,
    ObjectStore objects,
    MultipartUploads multipart,
    CorsStore cors,
    Buckets buckets,
    CallbackLog callbackLog,
    SigningSecrets secrets,
    Circuits circuits,
    CiTimes times,
    AddressGuard callbackGuard,
    InstantSource clock,
    Redelivery redelivery,
    WorkflowService workflows,
    TemplateService templates,
    DiskSpace disk,
    List<String> kafkaClusters,
    AccessKeys accessKeys,
    Sessions consoleSessions) {}
