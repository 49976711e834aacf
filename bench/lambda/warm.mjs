// Warm cost of one function: its deployable artifact imported as Lambda does, DynamoDB answered in
// process with the exchanges recorded from DynamoDB Local (below the SDK, so marshalling,
// serialization, signing and parsing all run), then the same event invoked many times, each one
// timed on its own. Handler logs go to stdout, which the parent points at /dev/null.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installLayerResolution } from './layer-resolve-hook.mjs';

const [, , inputFile, resultFile] = process.argv;
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

const { handler } = await import(pathToFileURL(`${root}/var/task/index.mjs`).href);
// The client of the function's own group core: each group is a tree of its own in the layer, so
// `@astral/lib/db` may be another group's instance (docs/adr/0015-layer-layout.md). A group that
// never touches the table has none; its function makes no call to answer.
const core = await import(`@astral/lib/group/${input.layerGroup}`);
const documentClient = core.db$documentClient ?? (await import('@astral/lib/db')).documentClient;

let calls = 0;
let replayed = 0;
const OPERATIONS = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
const operationOf = (name) => OPERATIONS[name.replace(/Command$/, '')] ?? name.replace(/Command$/, '');
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
if (input.mode === 'short-circuit') {
  // Our code only: the command is answered before the SDK marshals, serializes, signs or parses anything.
  documentClient().middlewareStack.add(
    (_next, context) => async (args) => {
      const operation = operationOf(String(context.commandName));
      const index = take(input.outputs, operation, signatureOf(operation, args.input));
      const output = prepared?.[index] ?? decode(input.outputs[index].output);
      return { output: { ...output, $metadata: {} }, response: {} };
    },
    { step: 'initialize', priority: 'high', name: 'bench-short-circuit' },
  );
}
const exchanges = input.exchanges.map((exchange) => ({ ...exchange, operation: exchange.target.replace(/^.*\./, '') }));
const requestHandler = documentClient().config.requestHandler;
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

const events = Array.from({ length: input.warmup + input.iterations }, () => structuredClone(input.event));
const cpuMicros = new Float64Array(input.iterations);
const wallMicros = new Float64Array(input.iterations);
const unexpected = [];

const recordedCalls = input.mode === 'short-circuit' ? input.outputs.length : input.exchanges.length;
async function once(event, outputs) {
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
  if (calls !== recordedCalls && input.kind !== 'authorizer' && unexpected.length < 3) unexpected.push({ calls, recorded: recordedCalls });
}

const decodeAll = () => (input.mode === 'short-circuit' ? input.outputs.map((recorded) => decode(recorded.output)) : undefined);
// Resident memory once the first invocation has run (the init figures of docs/adr/0015-layer-layout.md):
// the module graph loaded, the SDK client built, the first request's lazy imports done.
let rssAfterFirstBytes = 0;
for (let i = 0; i < input.warmup; i++) {
  await once(events[i], decodeAll());
  if (i === 0) rssAfterFirstBytes = process.memoryUsage().rss;
}
replayed = 0;
let ahead = [];
for (let i = 0; i < input.iterations; i++) {
  const event = events[input.warmup + i];
  if (ahead.length === 0) ahead = Array.from({ length: 50 }, decodeAll);
  const outputs = ahead.pop();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await once(event, outputs);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  cpuMicros[i] = used.user + used.system;
  wallMicros[i] = wall * 1000;
}

if (inexact.size > 0) unexpected.push({ inexact: [...inexact].slice(0, 3) });
server?.close();
writeFileSync(
  resultFile,
  JSON.stringify({
    cpuMicros: [...cpuMicros],
    wallMicros: [...wallMicros],
    callsPerInvocation: replayed / input.iterations,
    rssAfterFirstBytes,
    unexpected,
  }),
);
process.exit(0);
