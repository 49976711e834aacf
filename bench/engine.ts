import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  LOCAL_ADMIN_CLAIM,
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  publicJwks,
  signLocalToken,
  type SigningKey,
} from '../local/signing-key';
import { lambdaEnvironment, type LambdaRoot } from './lambda-layout';
import { activityBody } from './scenario';

/** Runs one of bench/lambda's pure-computation scripts against the layer in `root`. */
function runChild<T>(root: LambdaRoot, script: string, input: unknown): T {
  const inputFile = join(root.root, `${script}-input.json`);
  const resultFile = join(root.root, `${script}-result.json`);
  writeFileSync(inputFile, JSON.stringify(input));
  const child = spawnSync(process.execPath, [join(root.root, script), inputFile, resultFile], {
    cwd: root.root,
    env: lambdaEnvironment(root, { name: script, memoryMb: 1769 }, {}),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
}

export interface PolicyResult {
  readonly decisions: { readonly perSecond: number };
  readonly evaluationsPerSecond: number;
  readonly athletePage: { readonly p50Ms: number; readonly p99Ms: number; readonly shown: number };
  readonly feedPage: { readonly p50Ms: number; readonly p99Ms: number; readonly shown: number };
}

const storedActivity = (userId: string, index: number): Record<string, unknown> => ({
  ...activityBody(index),
  activity_id: `act_${String(index).padStart(6, '0')}bench${userId.slice(-8)}`,
  user_id: userId,
  avg_pace_s_per_km: 282,
  created_at: '2025-01-01T07:30:00Z',
});

/** The privacy engine from the layer: decisions per second and 100-activity pages (one athlete's, and a feed of 25). */
export function measurePolicy(root: LambdaRoot): PolicyResult {
  const owners = Array.from({ length: 25 }, (_, i) => ({
    user_id: `usr_bench${String(i).padStart(16, '0')}`,
    // Most share with their coach, some open pace or maps, a few share nothing: every branch is taken.
    privacy: {
      share_activity_with_coach: i % 5 !== 4,
      share_pace_data: i % 2 === 0,
      share_activity_map: i % 3 === 0,
      share_training_data: i % 4 === 0,
    },
  }));
  const page = Array.from({ length: 100 }, (_, i) => storedActivity(owners[0]?.user_id ?? '', i));
  const feed = Array.from({ length: 100 }, (_, i) => storedActivity(owners[i % owners.length]?.user_id ?? '', i));
  return runChild<PolicyResult>(root, 'policy.mjs', {
    viewerId: 'usr_benchcoach0000000000',
    orgId: 'org_benchclub000000000000',
    owners,
    page,
    feed,
    decisions: 4_000_000,
    evaluations: 100_000,
    pages: 3_000,
  });
}

export interface JwtResult {
  readonly [alg: string]: { readonly perSecond: number; readonly cpuP50Ms: number; readonly cpuP99Ms: number };
}

/** Verifications through the layer's createTokenVerifier: the local issuer's ES256 tokens, and RS256 for comparison. */
export async function measureJwt(root: LambdaRoot, signingKey: SigningKey, userId: string): Promise<JwtResult> {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };
  const rs256 = await new SignJWT({ name: 'Bench User' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-rs256', typ: 'JWT' })
    .setIssuer(LOCAL_TOKEN_ISSUER)
    .setAudience(LOCAL_TOKEN_AUDIENCE)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(rsa.privateKey);
  const jwks = { keys: [...publicJwks(signingKey).keys, rsaJwk] };
  const tokens = { ES256: await signLocalToken(signingKey, userId, { name: 'Bench User' }), RS256: rs256 };
  return runChild<JwtResult>(root, 'jwt.mjs', {
    jwks,
    tokens,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
    adminClaim: LOCAL_ADMIN_CLAIM,
    warmup: 300,
    iterations: 3_000,
  });
}
