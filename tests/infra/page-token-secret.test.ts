import { App, Stack } from 'aws-cdk-lib';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { PageTokenSecret } from '../../infra/constructs/page-token-secret';

/**
 * The page-token secret's references (ADR 0010): AWSCURRENT by default, and after a rotation the
 * pinned current and previous versions, so the deploy that rotates changes the functions' configuration.
 */
function referencesOf(props: ConstructorParameters<typeof PageTokenSecret>[2]) {
  const stack = new Stack(new App(), 'Probe');
  const secret = new PageTokenSecret(stack, 'PageTokenKey', props);
  const resolved = (value: string | undefined) => (value === undefined ? undefined : JSON.stringify(stack.resolve(value)));
  // Resolved in memory: no synth (a synth here left a worker that would not exit).
  const secrets = stack.node.findAll().filter((construct) => construct instanceof CfnSecret);
  return { current: resolved(secret.current), previous: resolved(secret.previous), secrets };
}

it('resolves the current version at deploy time, and names no previous one by default', () => {
  const { current, previous, secrets } = referencesOf({});
  expect(current).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:::\}\}/);
  expect(previous).toBeUndefined();
  expect(secrets).toHaveLength(1);
});

it('pins the versions named after a rotation', () => {
  const { current, previous } = referencesOf({ currentVersionId: 'v-new', previousVersionId: 'v-old' });
  expect(current).toMatch(/:SecretString:::v-new\}\}/);
  expect(previous).toMatch(/:SecretString:::v-old\}\}/);
});
