import type { Measurements } from './measure';
import { markdownTable, type Section, type Target } from './report';
import { LIMITS } from './targets';

/** The authorizer result cache over the local gateway (bench/authorizer-cache.ts): hits, and a revoked key's lag. */
export function authorizerCacheSection(input: Measurements): Section {
  const shown = input.authorizerCache;
  if (!shown) return { targets: [], markdown: ['### Authorizer cache', '', 'Not in this snapshot (saved before it was measured).'] };
  const invocations = LIMITS.authorizerCacheInvocations;
  const revocation = LIMITS.revokedKeyRefusedWithin;
  const cached = (name: string, value: number): Target => ({
    name: `authorizer invocations for ${shown.requests} requests, ${name}`,
    value,
    unit: invocations.unit,
    limit: invocations.limit,
    met: value <= invocations.limit,
    reason: invocations.reason,
  });
  const refused = shown.revokedFirstRefusedS;
  const targets: Target[] = [
    cached('one bearer token on two user-only routes', shown.userOnlyInvocations),
    cached('one app key on an app-only route', shown.appOnlyInvocations),
    {
      name: 'revoked app key refused',
      value: refused < 0 ? null : refused,
      unit: revocation.unit,
      limit: revocation.limit,
      met: refused >= 0 && refused <= revocation.limit,
      reason: revocation.reason,
      note:
        refused < 0
          ? `still accepted ${shown.revokedLastAcceptedS} s after revocation`
          : `last accepted at ${shown.revokedLastAcceptedS} s`,
    },
  ];
  return {
    targets,
    markdown: [
      '### Authorizer cache (local gateway, ADR 0014)',
      '',
      `The local gateway emulates API Gateway's result cache with the stack's identity sources and TTLs (user token ${shown.ttls.userToken} s, app key ${shown.ttls.appKey} s at the gateway + ${shown.ttls.appKeyMemory} s in the authorizer's memory, either-kind routes uncached). Time is lib/clock, pinned and stepped one second at a time after the revocation: the figures are the design's, not this machine's.`,
      '',
      markdownTable(
        [
          'requests',
          'user-only routes (one token)',
          'either-kind route (same token)',
          'app-only route (one key)',
          'revoked key: last accepted',
          'first refused',
          'bound',
        ],
        [
          [
            shown.requests,
            shown.userOnlyInvocations,
            shown.eitherKindInvocations,
            shown.appOnlyInvocations,
            `${shown.revokedLastAcceptedS} s`,
            refused < 0 ? 'not within the run' : `${refused} s`,
            `${shown.revocationBoundS} s`,
          ],
        ],
      ),
    ],
    json: { authorizerCache: shown },
  };
}
