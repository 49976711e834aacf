// Warm cost of one function: its deployable artifact imported as Lambda does, DynamoDB answered in
// process with the exchanges recorded from DynamoDB Local (below the SDK, so marshalling,
// serialization, signing and parsing all run), then the same event invoked many times, each one
// timed on its own. Handler logs go to stdout, which the parent points at /dev/null; their bytes are
// counted (CloudWatch bills what a function logs).
//
// The process stays up between rounds: the parent (bench/warm.ts) warms every function first, then
// asks each for a round of invocations in turn over IPC, so that machine-load drift spreads over all
// functions instead of skewing the ones measured during a burst. `kind: 'calibration'` runs the
// calibration workload instead of a handler, in the same rounds: handler CPU is reported relative to it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installLayerResolution } from './layer-resolve-hook.mjs';

const [, , inputFile] = process.argv;
const root = process.env.LAMBDA_ROOT;
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
installLayerResolution(root);

let server;
if (input.jwks) {
  // The issuer's JWKS, served the way the authorizer fetches it (once per container, then cached).
  server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(input.jwks)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.JWKS_URL = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
}

// JSON parse and serialize of a page-sized document and a hash of it: the kind of work a handler does
// (events, DynamoDB responses, response bodies), with no I/O, so its CPU moves with the machine as theirs does.
const calibrationDocument = input.kind === 'calibration' ? JSON.stringify(input.event) : '';
const calibrate = async () => {
  const text = JSON.stringify(JSON.parse(calibrationDocument));
  createHash('sha256').update(text).digest('hex');
  return { statusCode: 200 };
};
const { handler } = input.kind === 'calibration' ? { handler: calibrate } : await import(pathToFileURL(`${root}/var/task/index.mjs`).href);
// The client of the function's own tree: each function's core is a tree of its own in the layer, so
// `@astral/lib/db` is another instance (docs/adr/0026-a-tree-per-function.md). The core exports what
// the function imports, and every table-backed handler imports the client (from lib/db or
// lib/repositories: `<dir>$documentClient`). A function that never touches the table has none; it
// makes no call to answer.
const noClient = () => ({
  config: { requestHandler: {} },
  send: () => Promise.reject(new Error('no table client')),
});
const core = input.kind === 'calibration' ? {} : await import(`@astral/lib/group/${input.layerGroup}`);
const clientExport = Object.keys(core).find((name) => name.endsWith('$documentClient'));
const documentClient = clientExport === undefined ? noClient : core[clientExport];

// What the function writes to its log, per invocation: bytes and lines (Lambda prefixes each line).
let logBytes = 0;
let logLines = 0;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    logBytes += Buffer.byteLength(text);
    logLines += text.split('\n').length - 1;
    return write(chunk, ...rest);
  };
}

let calls = 0;
let replayed = 0;
// As bench/dynamo-recorder.ts signatureOf: parallel calls complete in any order, so a call is matched
// to its recording by what it asks for, not by position.
const signatureOf = (operation, input) =>
  `${operation}|${String(input.IndexName ?? '')}|${JSON.stringify(input.Key ?? input.ExpressionAttributeValues ?? input.RequestItems ?? null)}`;
const decode = (json) =>
  JSON.parse(json, (_, value) => (value !== null && typeof value === 'object' && Array.isArray(value.$set) ? new Set(value.$set) : value));

/** Takes the recording for this call: same operation and signature, else the first unused of the operation. */
let unused = new Set();
/** Calls answered by a recording of the same operation but another key: the replay would be wrong. */
const inexact = new Set();
function take(recordings, operation, signature) {
  let found;
  for (const index of unused) {
    const recorded = recordings[index];
    if (recorded.operation !== operation) continue;
    if (recorded.signature === signature) {
      found = index;
      break;
    }
    found ??= index;
  }
  if (found === undefined) throw new Error(`replay: no recorded ${operation} left for ${signature}`);
  if (recordings[found].signature !== signature) inexact.add(`${operation} ${signature}`);
  unused.delete(found);
  calls += 1;
  replayed += 1;
  return found;
}

// Outputs for the coming invocations, decoded ahead and untimed: our code gets fresh objects each time.
let prepared;
/** `short-circuit` or `sdk`, set per round. */
let mode = 'sdk';
// Our code only: the command is answered at `send`, before the SDK resolves its middleware stack (a
// stack of ~30 steps built per call: ~30 µs each here), marshals, serializes, signs or parses anything.
// The operation is the client command's schema name (class names are minified in the layer).
const client = documentClient();
const sdkSend = client.send.bind(client);
client.send = (command, ...rest) => {
  if (mode !== 'short-circuit') return sdkSend(command, ...rest);
  const operation = command.clientCommand?.schema?.[2];
  if (typeof operation !== 'string') throw new Error('short-circuit: a command without an operation schema');
  const index = take(input.outputs, operation, signatureOf(operation, command.input));
  const output = prepared?.[index] ?? decode(input.outputs[index].output);
  return Promise.resolve({ ...output, $metadata: {} });
};
const exchanges = input.exchanges.map((exchange) => ({ ...exchange, operation: exchange.target.replace(/^.*\./, '') }));
const requestHandler = client.config.requestHandler;
requestHandler.handle = async (request) => {
  const operation = String(request.headers['x-amz-target']).replace(/^.*\./, '');
  const body =
    typeof request.body === 'string'
      ? request.body
      : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
  const exchange = exchanges[take(exchanges, operation, signatureOf(operation, JSON.parse(body)))];
  return {
    response: {
      statusCode: exchange.status,
      headers: { ...exchange.headers, 'x-amzn-requestid': 'replay' },
      body: Buffer.from(exchange.body, 'utf8'),
    },
  };
};

const context = {
  functionName: input.name,
  functionVersion: '$LATEST',
  memoryLimitInMB: String(input.memoryMb),
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${input.name}`,
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: `/aws/lambda/${input.name}`,
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 25_000,
};

const unexpected = [];
// Either shape of the key: the document client's (`"sk":"ACCESS#…"`) or the wire's (`"sk":{"S":"ACCESS#…"}`).
const isAccessLogWrite = (recorded) => recorded.operation === 'UpdateItem' && /"sk":(\{"S":)?"ACCESS#/.test(recorded.signature);

async function once(event, outputs) {
  const recordedCalls = mode === 'short-circuit' ? input.outputs.length : input.exchanges.length;
  calls = 0;
  unused = new Set(Array.from({ length: recordedCalls }, (_, i) => i));
  prepared = outputs;
  try {
    const result = await handler(event, context);
    const status = input.kind === 'authorizer' ? (result?.principalId ? 200 : 500) : result?.statusCode;
    if (status !== input.expectStatus && unexpected.length < 3) unexpected.push({ status, body: String(result?.body ?? '').slice(0, 300) });
  } catch (error) {
    if (unexpected.length < 3) unexpected.push({ error: String(error?.message ?? error) });
  }
  // The access log's write is made by the first read of a (viewer, athlete, context, day) in a container
  // (ADR 0019): the scenario recorded it, a warm container's later reads skip it. Any other recording
  // left unused is a call the handler no longer makes.
  const recordings = mode === 'short-circuit' ? input.outputs : exchanges;
  const missing = [...unused].filter((index) => !isAccessLogWrite(recordings[index]));
  if ((missing.length > 0 || calls > recordedCalls) && input.kind === 'route' && unexpected.length < 3)
    unexpected.push({ calls, recorded: recordedCalls, missing: missing.map((index) => recordings[index].signature.slice(0, 160)) });
}

const decodeAll = () => (mode === 'short-circuit' ? input.outputs.map((recorded) => decode(recorded.output)) : undefined);

/** `count` invocations in the current mode, each timed on its own; events and decoded outputs prepared untimed. */
async function run(count, timed) {
  const events = Array.from({ length: count }, () => structuredClone(input.event));
  const cpuMicros = [];
  const wallMicros = [];
  replayed = 0;
  logBytes = 0;
  logLines = 0;
  let ahead = [];
  for (let i = 0; i < count; i++) {
    if (ahead.length === 0) ahead = Array.from({ length: 50 }, decodeAll);
    const outputs = ahead.pop();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await once(events[i], outputs);
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (!timed) continue;
    cpuMicros.push(used.user + used.system);
    wallMicros.push(wall * 1000);
  }
  return { cpuMicros, wallMicros, callsPerInvocation: replayed / count, logBytes: logBytes / count, logLines: logLines / count };
}

// Resident memory once the first invocation has run (the init figures of docs/adr/0015-layer-layout.md):
// the module graph loaded, the SDK client built, the first request's lazy imports done.
let rssAfterFirstBytes = 0;
// The first invocation runs with the SDK whenever the subject is measured with it.
const firstMode = input.modes.includes('sdk') ? 'sdk' : input.modes[0];
mode = firstMode;
await run(1, false);
rssAfterFirstBytes = process.memoryUsage().rss;
for (const warmMode of input.modes) {
  mode = warmMode;
  await run(warmMode === firstMode ? Math.max(0, input.warmup - 1) : input.warmup, false);
}
process.on('message', async (message) => {
  if (message.done) {
    server?.close();
    process.disconnect();
    return;
  }
  mode = message.mode;
  const samples = await run(message.iterations, true);
  if (inexact.size > 0) unexpected.push({ inexact: [...inexact].slice(0, 3) });
  process.send({ ...samples, rssAfterFirstBytes, unexpected: unexpected.splice(0) });
});
process.send({ ready: true });
