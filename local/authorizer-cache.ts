import type { AuthorizerBinding } from '../lib/config/authorizers';

/** Milliseconds since the epoch; injectable so tests step past a TTL without waiting. */
export type GatewayClock = () => number;

interface Entry {
  readonly result: unknown;
  readonly expiresAt: number;
}

/**
 * API Gateway's authorizer result cache: one per authorizer, keyed on its identity source's value,
 * holding the function's raw answer for the authorizer's TTL. A hit is evaluated again against the
 * request's own method ARN, as API Gateway evaluates a cached policy, and the function is not called.
 * It also counts the calls it saved and the calls that were made, for tests and the bench.
 */
export class AuthorizerResultCache {
  private readonly entries = new Map<string, Entry>();
  private calls = 0;

  constructor(private readonly clock: GatewayClock) {}

  /** How many times the authorizer function has been invoked. */
  get invocations(): number {
    return this.calls;
  }

  countInvocation(): void {
    this.calls += 1;
  }

  get(binding: AuthorizerBinding, identity: string): unknown {
    const key = cacheKey(binding, identity);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.clock()) return entry.result;
    this.entries.delete(key);
    return undefined;
  }

  set(binding: AuthorizerBinding, identity: string, result: unknown, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(cacheKey(binding, identity), { result, expiresAt: this.clock() + ttlSeconds * 1000 });
  }
}

// A newline cannot occur in a header value, so two authorizers' keys never meet.
const cacheKey = (binding: AuthorizerBinding, identity: string): string => `${binding}\n${identity}`;
