import { App } from 'aws-cdk-lib';
import { AstralStack } from '../../infra/astral-stack';
import { TEST_TOKENS } from './synth-app';

// The refusal happens in the stack's constructor, before any bundling, so no full synth is needed.
describe('identity provider configuration at synth (ADR 0021)', () => {
  const build = (tokens: Partial<typeof TEST_TOKENS>) =>
    new AstralStack(new App(), 'Astral', { tokens: { ...TEST_TOKENS, ...tokens }, projectRoot: process.cwd() });

  it.each([
    ['neither audience nor client id', { audience: undefined, clientIds: undefined }],
    ['only blanks and commas', { audience: ' , ', clientIds: '' }],
  ])('refuses %s, naming both context keys', (_name, tokens) => {
    expect(() => build(tokens)).toThrow(
      /set context astral:tokenAudience .* or context astral:tokenClientIds .*any token of the issuer would be accepted/,
    );
  });

  it('refuses a blank admin claim', () => {
    expect(() => build({ adminClaim: ' ' })).toThrow('context astral:adminClaim must name a claim');
  });
});
