// JWT verification as the authorizer does it (the layer's createTokenVerifier: jose, algorithms
// pinned, iss/aud/exp/sub checked, JWKS fetched once over HTTP and cached), one token at a time.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { installLayerResolution } from './layer-resolve-hook.mjs';

const [, , inputFile, resultFile] = process.argv;
installLayerResolution(process.env.LAMBDA_ROOT);
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const { createTokenVerifier } = await import('@astral/lib/auth');

const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(input.jwks)));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const verify = createTokenVerifier({
  issuer: input.issuer,
  // The identity-provider rules as the authorizer builds them from its environment (ADR 0021).
  audiences: [input.audience],
  clientIds: [],
  admin: { kind: 'boolean', claim: input.adminClaim },
  maxTokenAgeSeconds: 86_400,
  jwksUrl: `http://127.0.0.1:${server.address().port}/jwks`,
});

const results = {};
for (const [alg, token] of Object.entries(input.tokens)) {
  for (let i = 0; i < input.warmup; i++) await verify(token);
  const cpu = new Float64Array(input.iterations);
  const started = performance.now();
  for (let i = 0; i < input.iterations; i++) {
    const before = process.cpuUsage();
    await verify(token);
    const used = process.cpuUsage(before);
    cpu[i] = (used.user + used.system) / 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...cpu].sort((a, b) => a - b);
  results[alg] = {
    perSecond: input.iterations / seconds,
    cpuP50Ms: sorted[Math.floor(sorted.length / 2)],
    cpuP99Ms: sorted[Math.ceil(sorted.length * 0.99) - 1],
  };
}
server.close();
writeFileSync(resultFile, JSON.stringify(results));
process.exit(0);
