import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AstralStack, type TokenSettings } from './astral-stack';
import type { AlarmSettings } from './constructs/operations';
import { limitSettings } from './limit-settings';

/** Token settings come from cdk.json context (override per environment with `-c astral:…=…`). */
function tokenSettings(app: App): TokenSettings {
  const optional = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(`astral:${key}`);
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const read = (key: string): string => {
    const value = optional(key);
    if (value === undefined) throw new Error(`missing context astral:${key} (cdk.json or -c astral:${key}=…)`);
    return value;
  };
  const maxAge = optional('tokenMaxAgeSeconds');
  const type = optional('tokenType');
  if (maxAge !== undefined && !/^[1-9]\d*$/.test(maxAge))
    throw new Error('context astral:tokenMaxAgeSeconds must be a positive whole number');
  return {
    issuer: read('tokenIssuer'),
    // Either may be absent; the stack refuses a configuration with neither (ADR 0021).
    audience: optional('tokenAudience'),
    clientIds: optional('tokenClientIds'),
    jwksUrl: read('jwksUrl'),
    adminClaim: read('adminClaim'),
    adminGroup: optional('adminGroup'),
    ...(maxAge !== undefined ? { maxAgeSeconds: Number(maxAge) } : {}),
    ...(type !== undefined ? { type } : {}),
  };
}

/** Optional: the page-token secret versions to pin after a rotation (ADR 0010). */
function pageTokenVersions(app: App): { currentVersionId?: string; previousVersionId?: string } {
  const read = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(`astral:${key}`);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const current = read('pageTokenSecretVersion');
  const previous = read('pageTokenPreviousSecretVersion');
  return { ...(current ? { currentVersionId: current } : {}), ...(previous ? { previousVersionId: previous } : {}) };
}

/** Optional: alarm thresholds and an email for the alarm topic (infra/constructs/operations.ts, docs/operations.md). */
function alarmSettings(app: App): AlarmSettings {
  const raw = (key: string): unknown => app.node.tryGetContext(`astral:${key}`);
  const positive = (key: string, max: number): number | undefined => {
    const value = raw(key);
    if (value === undefined || value === '') return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(number) || number <= 0 || number > max) throw new Error(`context astral:${key} must be a number in (0, ${max}]`);
    return number;
  };
  const email = raw('alarmEmail');
  if (email !== undefined && (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)))
    throw new Error('context astral:alarmEmail must be an email address');
  const iteratorAgeMinutes = positive('alarmIteratorAgeMinutes', 24 * 60);
  const api5xxRate = positive('alarmApi5xxRate', 1);
  const apiP99Ms = positive('alarmApiP99Ms', 29_000);
  return {
    ...(typeof email === 'string' ? { email } : {}),
    ...(iteratorAgeMinutes !== undefined ? { iteratorAgeMinutes } : {}),
    ...(api5xxRate !== undefined ? { api5xxRate } : {}),
    ...(apiP99Ms !== undefined ? { apiP99Ms } : {}),
  };
}

const app = new App();
new AstralStack(app, 'Astral', {
  tokens: tokenSettings(app),
  pageTokens: pageTokenVersions(app),
  alarms: alarmSettings(app),
  limits: limitSettings((key) => app.node.tryGetContext(`astral:${key}`)),
  description: 'Astral API: API Gateway REST + Lambda (one per route) + DynamoDB single table',
  ...(process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
    ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
    : {}),
});
// Every synth (and so every deploy) runs the AWS Solutions checks; an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
