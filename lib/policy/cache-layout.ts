/**
 * The shape of the engine's decision cache (engine.ts) as pure functions of the vocabularies' lengths.
 * A cell holds the decision of one (relationship, context, settings) combination; two combinations
 * sharing a cell would serve one audience another's decision. So nothing here is a literal: a
 * relationship, context, setting or field group added to its list resizes the cache on its own. The
 * engine calls these with today's lengths (see ENGINE_LAYOUT); the tests also call them with longer ones.
 */
import { RELATIONSHIPS, type Relationship } from './relationship';
import { CONTEXTS, FIELD_GROUPS, type PolicyContext } from './rules';
import { PRIVACY_KEYS } from './settings';
import { positionIn, type PositionIn } from './list-position';

/** Masks and settings bits are combined with 32-bit operators: every bit must fit below the sign bit. */
const MAX_BITS = 31;
/** A row holds 2^settings pointers; beyond 2^24 (128 MiB a row) the cache is no longer the right tool. */
const MAX_SETTINGS = 24;

export interface CacheLayout {
  /** Length of the contexts list: the stride between two relationships' rows (`slotOf`). */
  readonly contexts: number;
  /** Rows of the table: one per (relationship, context). */
  readonly slots: number;
  /** Cells of a row: one per combination of the settings, indexed by their bits. */
  readonly rowLength: number;
}

function checkCount(name: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`${name} must be an integer in 1..${max}, got ${n}`);
}

export function cacheLayout(relationships: number, contexts: number, settings: number): CacheLayout {
  checkCount('relationships', relationships, 2 ** 16);
  checkCount('contexts', contexts, 2 ** 16);
  checkCount('settings', settings, MAX_SETTINGS);
  return Object.freeze({ contexts, slots: relationships * contexts, rowLength: 2 ** settings });
}

/** The row of relationship index r and context index c (positions in their lists): r-major, so distinct pairs never share a row. */
export function slotOf(r: number, c: number, contexts: number): number {
  return r * contexts + c;
}

/** Bits of a decision mask: one per field group (bit i = FIELD_GROUPS[i]), then the other targets above them. */
export interface MaskLayout {
  readonly groupBits: number;
  readonly audience: number;
  readonly identity: number;
  readonly privacy: number;
  readonly listed: number;
  readonly participates: number;
  /** Every mask is below this. */
  readonly limit: number;
}

export function maskLayout(groups: number): MaskLayout {
  checkCount('groups', groups, MAX_BITS - 5);
  return Object.freeze({
    groupBits: 2 ** groups - 1,
    audience: 2 ** groups,
    identity: 2 ** (groups + 1),
    privacy: 2 ** (groups + 2),
    listed: 2 ** (groups + 3),
    participates: 2 ** (groups + 4),
    limit: 2 ** (groups + 5),
  });
}

/** Key of a shared decision: its mask and its row (a decision names its relationship and context). */
export function sharedKey(mask: number, slot: number, slots: number): number {
  return mask * slots + slot;
}

/**
 * Position of a relationship in RELATIONSHIPS, or -1 for one the engine does not know (its decision is
 * then evaluated each time, never cached). The cases are the fast path; see list-position.ts.
 */
export function relationshipIndex(rel: Relationship): number {
  switch (rel) {
    case 'self':
      return 0 satisfies PositionIn<typeof RELATIONSHIPS, 'self'>;
    case 'coach':
      return 1 satisfies PositionIn<typeof RELATIONSHIPS, 'coach'>;
    case 'group':
      return 2 satisfies PositionIn<typeof RELATIONSHIPS, 'group'>;
    case 'public':
      return 3 satisfies PositionIn<typeof RELATIONSHIPS, 'public'>;
    case 'anonymous':
      return 4 satisfies PositionIn<typeof RELATIONSHIPS, 'anonymous'>;
    default:
      return positionIn<string>(RELATIONSHIPS, rel);
  }
}

/** Position of a context in CONTEXTS, or -1 for one the engine does not know. */
export function contextIndex(ctx: PolicyContext): number {
  switch (ctx) {
    case 'profile':
      return 0 satisfies PositionIn<typeof CONTEXTS, 'profile'>;
    case 'activity':
      return 1 satisfies PositionIn<typeof CONTEXTS, 'activity'>;
    case 'feed':
      return 2 satisfies PositionIn<typeof CONTEXTS, 'feed'>;
    case 'coach_view':
      return 3 satisfies PositionIn<typeof CONTEXTS, 'coach_view'>;
    case 'roster':
      return 4 satisfies PositionIn<typeof CONTEXTS, 'roster'>;
    case 'leaderboard':
      return 5 satisfies PositionIn<typeof CONTEXTS, 'leaderboard'>;
    default:
      return positionIn<string>(CONTEXTS, ctx);
  }
}

export const ENGINE_LAYOUT: CacheLayout = cacheLayout(RELATIONSHIPS.length, CONTEXTS.length, PRIVACY_KEYS.length);
export const ENGINE_MASK: MaskLayout = maskLayout(FIELD_GROUPS.length);
