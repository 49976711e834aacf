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
const { documentClient } = await import('@astral/lib/db');

let next = 0;
let replayed = 0;
const OPERATIONS = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems' };
const operationOf = (name) => OPERATIONS[name.replace(/Command$/, '')] ?? name.replace(/Command$/, '');
const decode = (json) => JSON.parse(json, (_, value) => (value !== null && typeof value === 'object' && Array.isArray(value.$set) ? new Set(value.$set) : value));

// Outputs for the coming invocations, decoded ahead and untimed: our code gets fresh objects each time.
let prepared;
if (input.mode === 'short-circuit') {
  // Our code only: the command is answered before the SDK marshals, serializes, signs or parses anything.
  documentClient().middlewareStack.add(
    (_next, context) => async () => {
      const operation = operationOf(String(context.commandName));
      const recorded = input.outputs[next];
      if (!recorded || recorded.operation !== operation) throw new Error(`replay: call ${next} is ${operation}, recorded ${recorded?.operation ?? 'nothing'}`);
      const output = prepared?.[next] ?? decode(recorded.output);
      next += 1;
      replayed += 1;
      return { output: { ...output, $metadata: {} }, response: {} };
    },
    { step: 'initialize', priority: 'high', name: 'bench-short-circuit' },
  );
}
const requestHandler = documentClient().config.requestHandler;
requestHandler.handle = async (request) => {
  const exchange = input.exchanges[next];
  const target = request.headers['x-amz-target'];
  if (!exchange || exchange.target !== target) throw new Error(`replay: call ${next} is ${target}, recorded ${exchange?.target ?? 'nothing'}`);
  next += 1;
  replayed += 1;
  return { response: { statusCode: exchange.status, headers: { ...exchange.headers, 'x-amzn-requestid': 'replay' }, body: Buffer.from(exchange.body, 'utf8') } };
};

const context = {
  functionName: input.name, functionVersion: '$LATEST', memoryLimitInMB: String(input.memoryMb),
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${input.name}`,
  awsRequestId: '00000000-0000-4000-8000-000000000000', logGroupName: `/aws/lambda/${input.name}`, logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 25_000,
};

const events = Array.from({ length: input.warmup + input.iterations }, () => structuredClone(input.event));
const cpuMicros = new Float64Array(input.iterations);
const wallMicros = new Float64Array(input.iterations);
const unexpected = [];

async function once(event, outputs) {
  next = 0;
  prepared = outputs;
  try {
    const result = await handler(event, context);
    const status = input.kind === 'authorizer' ? (result?.principalId ? 200 : 500) : result?.statusCode;
    if (status !== input.expectStatus && unexpected.length < 3) unexpected.push({ status, body: String(result?.body ?? '').slice(0, 300) });
  } catch (error) {
    if (unexpected.length < 3) unexpected.push({ error: String(error?.message ?? error) });
  }
  if (next !== input.exchanges.length && input.kind !== 'authorizer' && unexpected.length < 3) unexpected.push({ calls: next, recorded: input.exchanges.length });
}

const decodeAll = () => (input.mode === 'short-circuit' ? input.outputs.map((recorded) => decode(recorded.output)) : undefined);
for (let i = 0; i < input.warmup; i++) await once(events[i], decodeAll());
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

server?.close();
writeFileSync(resultFile, JSON.stringify({ cpuMicros: [...cpuMicros], wallMicros: [...wallMicros], callsPerInvocation: replayed / input.iterations, unexpected }));
process.exit(0);
