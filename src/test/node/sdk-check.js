// The official Node.js COS SDK (cos-nodejs-sdk-v5) against a running jobhook, as a user of that SDK
// would call it: objects through its methods, CI calls through cos.request (the SDK has no CI
// methods), with the Ip and Protocol options of its README. NodeSdkIT starts jobhook and runs this
// script; each check prints "ok <name>", and the first failure exits non-zero with its reason.
'use strict';
const COS = require('cos-nodejs-sdk-v5');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const Bucket = env('JOBHOOK_BUCKET');
const Region = env('JOBHOOK_REGION');
const cos = new COS({
  SecretId: env('JOBHOOK_SECRET_ID'),
  SecretKey: env('JOBHOOK_SECRET_KEY'),
  Ip: `127.0.0.1:${env('JOBHOOK_PORT')}`,
  Protocol: 'http:',
});
const ciHost = `${Bucket}.ci.${Region}.myqcloud.com`;
const audio = fs.readFileSync(env('JOBHOOK_AUDIO'));

const call = (method, params) =>
  new Promise((resolve, reject) =>
    cos[method]({ Bucket, Region, ...params }, (err, data) => (err ? reject(err) : resolve(data))));
const ci = (Method, path, { Body, Query } = {}) =>
  call('request', {
    Method,
    Url: `http://${ciHost}${path}`,
    Query,
    Body,
    Headers: Body === undefined ? undefined : { 'Content-Type': 'application/xml' },
  });
const ciError = async (Method, path, options) => {
  try {
    await ci(Method, path, options);
  } catch (err) {
    return err;
  }
  throw new Error(`${Method} ${path} was expected to fail`);
};
const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ok = (name) => console.log(`ok ${name}`);

async function until(what, probe, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function jobRequest({ input, output, settings = '', callback = 'no', format, templateId }) {
  return (
    `<Request><Tag>NoiseReduction</Tag><Input><Object>${input}</Object></Input>` +
    `<Operation>${templateId ? `<TemplateId>${templateId}</TemplateId>` : ''}` +
    `<NoiseReduction>${settings}</NoiseReduction>` +
    `<Output><Object>${output}</Object></Output><UserData>node sdk</UserData></Operation>` +
    `<CallBack>${callback}</CallBack>` +
    (format ? `<CallBackFormat>${format}</CallBackFormat>` : '') +
    `</Request>`
  );
}
const submit = async (options) => (await ci('POST', '/jobs', { Body: jobRequest(options) })).Response.JobsDetail;
const describe = async (id) => (await ci('GET', `/jobs/${id}`)).Response.JobsDetail;
const ended = (id) =>
  until(`job ${id} to end`, async () => {
    const job = await describe(id);
    return ['Success', 'Failed', 'Cancel'].includes(job.State) ? job : null;
  });

/** A receiver of callbacks on a free loopback port. */
function receiver() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/cb`, received, close: () => server.close() })));
}

/** Standard Webhooks: v1 = base64(HMAC-SHA256(key, id.timestamp.body)), key from whsec_<base64>. */
function verifySignature(secret, { headers, body }) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = Buffer.concat([Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`), body]);
  const expected = crypto.createHmac('sha256', key).update(signed).digest('base64');
  return headers['webhook-signature']
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .some((s) => crypto.timingSafeEqual(Buffer.from(s.slice(3)), Buffer.from(expected)));
}

// The seed's sample 2 (a JSON TaskFinish callback), key by key and in order: written out here from
// the seed page, independently of the server's code.
const SEED_SAMPLE_2 = {
  EventName: null,
  JobsDetail: {
    Code: null,
    CreationTime: null,
    EndTime: null,
    Input: { BucketId: null, Object: null, Region: null },
    JobId: null,
    Message: null,
    Operation: { Output: { Bucket: null, Object: null, Region: null }, UserData: null },
    QueueId: null,
    StartTime: null,
    State: null,
    Tag: null,
  },
};
function sameShape(expected, actual, path) {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `keys of ${path}`);
  for (const [name, child] of Object.entries(expected)) {
    if (child === null) assert.equal(typeof actual[name], 'string', `${path}.${name} is text`);
    else sameShape(child, actual[name], `${path}.${name}`);
  }
}
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/;

/** The sample rate in a canonical WAV header. */
const wavRate = (bytes) => bytes.readUInt32LE(24);

async function main() {
  // Objects through the SDK's own methods
  await call('putObject', { Key: 'node/in/a.mp3', Body: audio });
  const back = await call('getObject', { Key: 'node/in/a.mp3' });
  assert.ok(Buffer.compare(back.Body, audio) === 0, 'getObject returns the bytes put');
  const head = await call('headObject', { Key: 'node/in/a.mp3' });
  assert.equal(Number(head.headers['content-length']), audio.length);
  await call('putObject', { Key: 'node/in/b.mp3', Body: audio, ContentDisposition: 'attachment; filename="b.mp3"', CacheControl: 'max-age=60' });
  const headB = await call('headObject', { Key: 'node/in/b.mp3' });
  assert.equal(headB.headers['content-disposition'], 'attachment; filename="b.mp3"');
  assert.equal(headB.headers['cache-control'], 'max-age=60');
  await call('putObject', { Key: 'node/in/deeper/c.mp3', Body: audio });
  const listed = await call('getBucket', { Prefix: 'node/in/', Delimiter: '/' });
  assert.deepEqual(list(listed.Contents).map((c) => c.Key), ['node/in/a.mp3', 'node/in/b.mp3']);
  assert.deepEqual(list(listed.CommonPrefixes).map((p) => p.Prefix), ['node/in/deeper/']);
  assert.equal(Number(list(listed.Contents)[0].Size), audio.length);
  assert.equal(list(listed.Contents)[0].ETag, head.ETag);
  ok('objects');

  // Large files go in parts: uploadFile above its SliceSize, and an upload begun earlier is resumed
  const large = crypto.randomBytes(2.5 * 1024 * 1024);
  const largePath = require('node:path').join(require('node:os').tmpdir(), `jobhook-large-${process.pid}.bin`);
  fs.writeFileSync(largePath, large);
  try {
    const uploaded = await call('uploadFile', { Key: 'node/in/large.bin', FilePath: largePath, SliceSize: 1024 * 1024 });
    assert.match(uploaded.ETag, /^"[0-9a-f]{32}-3"$/, 'a multipart ETag');
    const whole = await call('getObject', { Key: 'node/in/large.bin' });
    assert.ok(Buffer.compare(whole.Body, large) === 0, 'the parts read back as the file');

    const begun = await call('multipartInit', { Key: 'node/in/resumed.bin' });
    await call('multipartUpload', { Key: 'node/in/resumed.bin', UploadId: begun.UploadId, PartNumber: 1, Body: large.subarray(0, 1024 * 1024) });
    const pending = list((await call('multipartList', { Prefix: 'node/in/resumed' })).Upload);
    assert.deepEqual(pending.map((u) => u.UploadId), [begun.UploadId]);
    await call('sliceUploadFile', { Key: 'node/in/resumed.bin', FilePath: largePath, ChunkSize: 1024 * 1024 });
    assert.ok(Buffer.compare((await call('getObject', { Key: 'node/in/resumed.bin' })).Body, large) === 0);
    assert.deepEqual(list((await call('multipartList', { Prefix: 'node/in/' })).Upload), [], 'the begun upload was the one completed');

    const abandoned = await call('multipartInit', { Key: 'node/in/aborted.bin' });
    await call('multipartAbort', { Key: 'node/in/aborted.bin', UploadId: abandoned.UploadId });
    const gone = await call('multipartListPart', { Key: 'node/in/aborted.bin', UploadId: abandoned.UploadId }).catch((e) => e);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'NoSuchUpload');
  } finally {
    fs.unlinkSync(largePath);
  }
  ok('multipart-upload');

  // Copies: one request for a small object, ranges of parts for a large one
  const source = (key) => `${Bucket}.cos.${Region}.myqcloud.com/${key}`;
  await call('putObjectCopy', { Key: 'node/copy/a.mp3', CopySource: source('node/in/a.mp3') });
  assert.ok(Buffer.compare((await call('getObject', { Key: 'node/copy/a.mp3' })).Body, audio) === 0);
  await call('sliceCopyFile', {
    Key: 'node/copy/large.bin',
    CopySource: source('node/in/large.bin'),
    CopySliceSize: 1024 * 1024,
    CopyChunkSize: 1024 * 1024,
  });
  const copied = await call('getObject', { Key: 'node/copy/large.bin' });
  assert.ok(Buffer.compare(copied.Body, large) === 0, 'the copied parts read back as the source');
  assert.match(copied.headers.etag, /-3"$/, 'copied in three parts');
  ok('object-copy');

  const deleted = await call('deleteMultipleObject', { Objects: [{ Key: 'node/copy/a.mp3' }, { Key: 'node/copy/large.bin' }] });
  assert.deepEqual(list(deleted.Deleted).map((d) => d.Key), ['node/copy/a.mp3', 'node/copy/large.bin']);
  assert.deepEqual(list((await call('getBucket', { Prefix: 'node/copy/' })).Contents), []);
  ok('delete-multiple');

  // A bucket's CORS rules, for pages that call it from a browser
  assert.deepEqual((await call('getBucketCors', {})).CORSRules, [], 'none before they are set');
  await call('putBucketCors', {
    CORSRules: [
      { ID: 'uploads', AllowedOrigin: ['https://app.example.com'], AllowedMethod: ['PUT', 'POST'], AllowedHeader: ['*'], ExposeHeader: ['ETag'], MaxAgeSeconds: '600' },
      { AllowedOrigin: ['*'], AllowedMethod: ['GET'] },
    ],
  });
  const rules = (await call('getBucketCors', {})).CORSRules;
  assert.equal(rules.length, 2);
  assert.equal(rules[0].ID, 'uploads');
  assert.deepEqual(rules[0].AllowedOrigins, ['https://app.example.com']);
  assert.deepEqual(rules[0].AllowedMethods, ['PUT', 'POST']);
  assert.deepEqual(rules[0].AllowedHeaders, ['*']);
  assert.deepEqual(rules[0].ExposeHeaders, ['ETag']);
  assert.equal(rules[0].MaxAgeSeconds, '600');
  assert.deepEqual(rules[1].AllowedMethods, ['GET']);
  await call('deleteBucketCors', {});
  assert.deepEqual((await call('getBucketCors', {})).CORSRules, [], 'gone once deleted');
  ok('bucket-cors');

  // Listing buckets, all of them or one region's
  const service = await new Promise((resolve, reject) =>
    cos.getService({}, (err, data) => (err ? reject(err) : resolve(data))));
  const ours = service.Buckets.find((b) => b.Name === Bucket);
  assert.ok(ours, 'the bucket in use is listed');
  assert.equal(ours.Location, Region);
  const inRegion = await new Promise((resolve, reject) =>
    cos.getService({ Region }, (err, data) => (err ? reject(err) : resolve(data))));
  assert.deepEqual(inRegion.Buckets.map((b) => b.Name), service.Buckets.filter((b) => b.Location === Region).map((b) => b.Name));
  const elsewhere = await new Promise((resolve, reject) =>
    cos.getService({ Region: 'eu-frankfurt' }, (err, data) => (err ? reject(err) : resolve(data))));
  assert.deepEqual(elsewhere.Buckets, [], 'no bucket is used in another region');
  ok('list-buckets');

  // Object tags: given with an upload, replaced, read, deleted
  await call('putObject', { Key: 'node/tags/a.txt', Body: Buffer.from('tagged'), Headers: { 'x-cos-tagging': 'team=audio' } });
  assert.deepEqual((await call('getObjectTagging', { Key: 'node/tags/a.txt' })).Tags, [{ Key: 'team', Value: 'audio' }]);
  await call('putObjectTagging', { Key: 'node/tags/a.txt', Tags: [{ Key: 'stage', Value: 'raw' }, { Key: 'owner', Value: 'ops' }] });
  assert.deepEqual((await call('getObjectTagging', { Key: 'node/tags/a.txt' })).Tags, [{ Key: 'stage', Value: 'raw' }, { Key: 'owner', Value: 'ops' }]);
  assert.equal((await call('headObject', { Key: 'node/tags/a.txt' })).headers['x-cos-tagging-count'], '2');
  await call('deleteObjectTagging', { Key: 'node/tags/a.txt' });
  assert.deepEqual((await call('getObjectTagging', { Key: 'node/tags/a.txt' })).Tags, []);
  ok('object-tagging');

  // A job with the Go/Python spelling Samplerate, and a JSON callback checked against the seed
  const secret = list((await ci('GET', '/callbacksecret')).Response.Secret)[0].Value;
  const sink = await receiver();
  try {
    const a = await submit({
      input: 'node/in/a.mp3',
      output: 'node/out/a.wav',
      settings: '<Format>wav</Format><Samplerate>8000</Samplerate>',
      callback: sink.url,
      format: 'JSON',
    });
    const done = await ended(a.JobId);
    assert.equal(done.State, 'Success', JSON.stringify(done));
    const output = await call('getObject', { Key: 'node/out/a.wav' });
    assert.equal(wavRate(output.Body), 8000, 'Samplerate resamples the output');
    ok('samplerate');

    const delivery = await until('the callback', () => sink.received[0]);
    assert.match(delivery.headers['content-type'], /^application\/json/);
    assert.ok(verifySignature(secret, delivery), 'the webhook signature verifies');
    const document = JSON.parse(delivery.body.toString('utf8'));
    sameShape(SEED_SAMPLE_2, document, 'callback');
    assert.equal(document.EventName, 'TaskFinish');
    assert.equal(document.JobsDetail.JobId, a.JobId);
    assert.equal(document.JobsDetail.State, 'Success');
    assert.equal(document.JobsDetail.Input.Object, 'node/in/a.mp3');
    assert.equal(document.JobsDetail.Operation.Output.Object, 'node/out/a.wav');
    assert.equal(document.JobsDetail.Operation.UserData, 'node sdk');
    for (const t of ['CreationTime', 'StartTime', 'EndTime']) assert.match(document.JobsDetail[t], TIME, t);
    ok('json-callback');

    // The Java spelling SampleRate too
    const b = await submit({
      input: 'node/in/b.mp3',
      output: 'node/out/b.wav',
      settings: '<SampleRate>16000</SampleRate>',
    });
    assert.equal((await ended(b.JobId)).State, 'Success');
    assert.equal(wavRate((await call('getObject', { Key: 'node/out/b.wav' })).Body), 16000);
    ok('samplerate-java-spelling');

    // Several ids at once
    const several = (await ci('GET', `/jobs/${a.JobId},${b.JobId},jnotthere`)).Response;
    assert.deepEqual(list(several.JobsDetail).map((j) => j.JobId).sort(), [a.JobId, b.JobId].sort());
    assert.deepEqual(list(several.NonExistJobIds), ['jnotthere']);
    ok('several-ids');

    // List filters
    const byInput = (await ci('GET', '/jobs', { Query: { inputObject: 'node/in/b.mp3' } })).Response;
    assert.deepEqual(list(byInput.JobsDetail).map((j) => j.JobId), [b.JobId]);
    const inventory = await ciError('GET', '/jobs', { Query: { inventoryTriggerJobId: 'x' } });
    assert.equal(inventory.statusCode, 400);
    assert.equal(inventory.code, 'InvalidArgument');
    ok('list-filters');

    // Smart Audio queues are the same queues; a paused queue holds a job that ?cancel cancels
    const queues = (await ci('GET', '/asrqueue')).Response;
    const queueId = list(queues.QueueList)[0].QueueId;
    assert.equal(queueId, a.QueueId, '/asrqueue lists the queue jobs run on');
    const pause = (state) =>
      ci('PUT', `/asrqueue/${queueId}`, {
        Body: `<Request><Name>q</Name><QueueID>${queueId}</QueueID><State>${state}</State></Request>`,
      });
    await pause('Paused');
    const c = await submit({ input: 'node/in/a.mp3', output: 'node/out/c.wav' });
    assert.equal((await describe(c.JobId)).State, 'Pause', 'a job of a paused queue shows as Pause');
    const pausedJobs = (await ci('GET', '/jobs', { Query: { states: 'Pause' } })).Response;
    assert.deepEqual(list(pausedJobs.JobsDetail).map((j) => j.JobId), [c.JobId]);
    const cancelled = (await ci('PUT', `/jobs/${c.JobId}`, { Query: { cancel: '' } })).Response.JobsDetail;
    assert.equal(cancelled.State, 'Cancel');
    await pause('Active');
    ok('asrqueue-and-cancel');

    // Templates in the Go SDK's form (Samplerate): a job runs with its settings, its own win
    const template = (
      await ci('POST', '/template', {
        Body:
          '<Request><Tag>NoiseReduction</Tag><Name>node-8k</Name><NoiseReduction>' +
          '<Format>wav</Format><Samplerate>8000</Samplerate></NoiseReduction></Request>',
      })
    ).Response.Template;
    assert.match(template.TemplateId, /^t[0-9a-f]{32}$/);
    assert.equal(template.Category, 'Custom');
    assert.deepEqual(template.NoiseReduction, { Format: 'wav', Samplerate: '8000' });
    const renamed = (
      await ci('PUT', `/template/${template.TemplateId}`, {
        Body:
          '<Request><Tag>NoiseReduction</Tag><Name>node-8k-renamed</Name><NoiseReduction>' +
          '<Format>wav</Format><Samplerate>8000</Samplerate></NoiseReduction></Request>',
      })
    ).Response.Template;
    assert.equal(renamed.Name, 'node-8k-renamed');
    const described = (await ci('GET', '/template', { Query: { ids: template.TemplateId } })).Response;
    assert.equal(described.TotalCount, '1');
    assert.equal(list(described.TemplateList)[0].Name, 'node-8k-renamed');
    const withTemplate = await submit({
      input: 'node/in/a.mp3',
      output: 'node/out/t.wav',
      templateId: template.TemplateId,
    });
    const templated = await ended(withTemplate.JobId);
    assert.equal(templated.State, 'Success');
    assert.equal(templated.Operation.TemplateId, template.TemplateId);
    assert.equal(templated.Operation.TemplateName, 'node-8k-renamed');
    assert.equal(wavRate((await call('getObject', { Key: 'node/out/t.wav' })).Body), 8000);
    const ownWins = await submit({
      input: 'node/in/a.mp3',
      output: 'node/out/t16.wav',
      templateId: template.TemplateId,
      settings: '<Samplerate>16000</Samplerate>',
    });
    assert.equal((await ended(ownWins.JobId)).State, 'Success');
    assert.equal(wavRate((await call('getObject', { Key: 'node/out/t16.wav' })).Body), 16000, 'the job wins');
    const unknown = await ciError('POST', '/jobs', {
      Body:
        '<Request><Tag>NoiseReduction</Tag><Input><Object>node/in/a.mp3</Object></Input><Operation>' +
        '<TemplateId>t00000000000000000000000000000000</TemplateId><Output><Object>x.wav</Object></Output>' +
        '</Operation></Request>',
    });
    assert.equal(unknown.statusCode, 400);
    ok('templates');

    // Workflows: pause and activate with the body-less ?paused and ?active; a run by upload whose
    // callbacks go to the Start node's own NotifyConfig, its node running with the template
    const flowSink = await receiver();
    try {
      const created = (
        await ci('POST', '/workflow', {
          Body:
            '<Request><MediaWorkflow><Name>node-wf</Name><State>Active</State><Topology>' +
            '<Dependencies><Start>Denoise</Start><Denoise>End</Denoise></Dependencies><Nodes>' +
            '<Start><Type>Start</Type><Input><ObjectPrefix>node/wf/</ObjectPrefix><NotifyConfig>' +
            `<Url>${flowSink.url}</Url><Event>TaskFinish,WorkflowFinish</Event><Type>Url</Type>` +
            '<ResultFormat>JSON</ResultFormat><State>On</State></NotifyConfig></Input></Start>' +
            `<Denoise><Type>NoiseReduction</Type><Operation><TemplateId>${template.TemplateId}</TemplateId>` +
            '<Output><Object>node/wf-out/${InputName}.${ext}</Object></Output></Operation></Denoise>' +
            '<End><Type>End</Type></End></Nodes></Topology></MediaWorkflow></Request>',
        })
      ).Response.MediaWorkflow;
      const workflowState = async () =>
        list((await ci('GET', '/workflow', { Query: { ids: created.WorkflowId } })).Response.MediaWorkflowList)[0]
          .State;
      await ci('PUT', `/workflow/${created.WorkflowId}`, { Query: { paused: '' } });
      assert.equal(await workflowState(), 'Paused');
      await ci('PUT', `/workflow/${created.WorkflowId}`, { Query: { active: '' } });
      assert.equal(await workflowState(), 'Active');
      ok('workflow-paused-active');

      await call('putObject', { Key: 'node/wf/talk.mp3', Body: audio });
      const runJob = await until('the workflow job', async () =>
        list((await ci('GET', '/jobs', { Query: { workflowId: created.WorkflowId } })).Response.JobsDetail)[0]);
      assert.equal(runJob.Input.Object, 'node/wf/talk.mp3');
      assert.equal((await ended(runJob.JobId)).State, 'Success');
      assert.equal(wavRate((await call('getObject', { Key: 'node/wf-out/talk.wav' })).Body), 8000);
      ok('workflow-run-by-upload');

      const bodies = await until('the workflow callbacks', () =>
        flowSink.received.length >= 2 ? flowSink.received.map((r) => JSON.parse(r.body.toString('utf8'))) : null);
      const taskFinish = bodies.find((b) => b.EventName === 'TaskFinish');
      assert.equal(taskFinish.JobsDetail.JobId, runJob.JobId);
      assert.equal(taskFinish.JobsDetail.Operation.TemplateId, template.TemplateId);
      assert.equal(taskFinish.JobsDetail.Operation.TemplateName, 'node-8k-renamed');
      const finish = bodies.find((b) => b.EventName === 'WorkflowFinish').WorkflowExecution;
      assert.equal(finish.WorkflowId, created.WorkflowId);
      assert.match(finish.CreateTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}$/, 'CI writes a space here');
      const task = list(finish.Tasks)[0];
      assert.equal(task.JobId, runJob.JobId);
      assert.equal(task.TemplateId, template.TemplateId);
      assert.equal(task.TemplateName, 'node-8k-renamed');
      assert.equal(task.ResultInfo.ObjectCount, '1');
      const info = list(task.ResultInfo.ObjectInfo)[0];
      assert.equal(info.ObjectName, 'node/wf-out/talk.wav');
      assert.equal(info.ObjectUrl, `https://${Bucket}.cos.${Region}.myqcloud.com/node/wf-out/talk.wav`);
      assert.equal(info.InputObjectName, 'node/wf/talk.mp3');
      ok('workflow-notify-config');

      // An upload in parts starts a run as a PUT does, when it completes
      await call('sliceUploadFile', { Key: 'node/wf/talk-parts.mp3', FilePath: env('JOBHOOK_AUDIO') });
      const partsJob = await until('the job of the upload in parts', async () =>
        list(
          (await ci('GET', '/jobs', { Query: { workflowId: created.WorkflowId, inputObject: 'node/wf/talk-parts.mp3' } }))
            .Response.JobsDetail,
        )[0]);
      assert.equal((await ended(partsJob.JobId)).State, 'Success');
      assert.equal(wavRate((await call('getObject', { Key: 'node/wf-out/talk-parts.wav' })).Body), 8000);
      ok('workflow-run-by-multipart-upload');

      // A template an Active workflow uses cannot be deleted; once the workflow is paused it can
      const inUse = await ciError('DELETE', `/template/${template.TemplateId}`);
      assert.equal(inUse.statusCode, 400);
      assert.equal(inUse.code, 'TemplateInUse');
      await ci('PUT', `/workflow/${created.WorkflowId}`, { Query: { paused: '' } });
      await ci('DELETE', `/template/${template.TemplateId}`);
      const gone = await ciError('GET', '/template/' + template.TemplateId);
      assert.equal(gone.statusCode, 404);
      const reactivate = await ciError('PUT', `/workflow/${created.WorkflowId}`, { Query: { active: '' } });
      assert.equal(reactivate.statusCode, 400, 'a workflow naming a deleted template stays paused');
      ok('template-delete');
    } finally {
      flowSink.close();
    }
  } finally {
    sink.close();
  }
}

main().then(
  () => console.log('all checks passed'),
  (err) => {
    console.error('FAILED:', err && err.stack ? err.stack : JSON.stringify(err));
    process.exit(1);
  },
);
