import { InvalidPageTokenError } from '../errors';

/**
 * Where a leaderboard page stopped: the board index's key of the last entry it examined, and how many
 * entries this viewer has been shown before it (the next page's ranks continue from there). A page
 * token holds both, sealed (lib/http/page-token.ts: a flat object of strings).
 */
export interface BoardPosition {
  readonly key: Readonly<Record<string, string>>;
  readonly shown: number;
}

const SHOWN = 'shown';
/** More than any board could rank: a bound on what a token may claim. */
const MAX_SHOWN = 10_000_000;

export function positionToToken(position: BoardPosition | undefined): Record<string, string> | undefined {
  return position ? { ...position.key, [SHOWN]: String(position.shown) } : undefined;
}

/** The position a decoded token holds; its key is checked against the board's range when read. */
export function positionFromToken(token: Readonly<Record<string, unknown>> | undefined): BoardPosition | undefined {
  if (token === undefined) return undefined;
  const { [SHOWN]: shown, ...key } = token;
  const count = typeof shown === 'string' && /^\d{1,8}$/.test(shown) ? Number(shown) : Number.NaN;
  if (!(count >= 0 && count <= MAX_SHOWN)) throw new InvalidPageTokenError();
  const stringKey: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) {
    if (typeof value !== 'string') throw new InvalidPageTokenError();
    stringKey[name] = value;
  }
  return { key: stringKey, shown: count };
}
