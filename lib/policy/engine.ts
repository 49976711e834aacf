/**
 * `decide(request) → { decision, reasons }` (style.md, "Authorization and privacy"). A decision depends
 * only on (settings, relationship, context): 2^settings × relationships × contexts combinations, so it
 * is evaluated once per combination and served from a table afterwards, laid out by cache-layout.ts
 * from the lengths of those lists. Reasons are evaluated on demand only.
 */
import { settingsBits, type PrivacySettings } from './settings';
import type { Relationship } from './relationship';
import { evaluate } from './evaluate';
import { FIELD_GROUPS, type FieldGroup, type PolicyContext, type Reason } from './rules';
import { contextIndex, ENGINE_LAYOUT, ENGINE_MASK, relationshipIndex, sharedKey, slotOf } from './cache-layout';

export interface LeaderboardDecision {
  /** `paticipate_leaderboard`. */
  readonly participates: boolean;
  /** Participation and audience: the athlete appears on this viewer's boards. */
  readonly listed: boolean;
  /** Listed with `share_pace_data`: pace values shown and pace-ranked boards allowed. */
  readonly pace_allowed: boolean;
  /** Listed with `share_profile_info`: the entry carries `profile_image_url`. */
  readonly profile_image_allowed: boolean;
}

export interface Decision {
  readonly relationship: Relationship;
  readonly context: PolicyContext;
  /** §3: the viewer sees anything beyond the identity card. */
  readonly audience: boolean;
  /** `user_id` + `display_name` may be shown (false only for anonymous callers and unlisted board entries). */
  readonly identity_card: boolean;
  readonly groups: Readonly<Record<FieldGroup, boolean>>;
  /** The owner's 13 settings may be shown. */
  readonly privacy_visible: boolean;
  /** Present in the leaderboard context only. */
  readonly leaderboard?: LeaderboardDecision;
  /** `groups` as bits (bit i = FIELD_GROUPS[i]); redaction keys its field lists on it. */
  readonly group_mask: number;
}

export interface DecisionRequest {
  readonly settings: PrivacySettings;
  readonly relationship: Relationship;
  readonly context: PolicyContext;
}

export interface DecisionResult {
  readonly decision: Decision;
  /** One reason per target; evaluated when first read. */
  readonly reasons: readonly Reason[];
}

const {
  audience: AUDIENCE,
  identity: IDENTITY,
  privacy: PRIVACY,
  listed: LISTED,
  participates: PARTICIPATES,
  groupBits: GROUP_BITS,
} = ENGINE_MASK;
const { contexts: CONTEXT_COUNT, slots: SLOTS, rowLength: ROW_LENGTH } = ENGINE_LAYOUT;

const TARGET_BIT: Readonly<Record<string, number>> = {
  audience: AUDIENCE,
  identity_card: IDENTITY,
  privacy: PRIVACY,
  leaderboard: LISTED,
  ...Object.fromEntries(FIELD_GROUPS.map((g, i) => [g, 1 << i])),
};

function maskOf(reasons: readonly Reason[], settings: PrivacySettings, context: PolicyContext): number {
  // Participation matters on boards only; elsewhere it would just split identical decisions.
  let mask = context === 'leaderboard' && settings.paticipate_leaderboard ? PARTICIPATES : 0;
  for (const r of reasons) if (r.effect === 'allow') mask |= TARGET_BIT[r.target] ?? 0;
  return mask;
}

function buildDecision(mask: number, relationship: Relationship, context: PolicyContext): Decision {
  const groups = {} as Record<FieldGroup, boolean>;
  FIELD_GROUPS.forEach((g, i) => {
    groups[g] = (mask & (1 << i)) !== 0;
  });
  const listed = (mask & LISTED) !== 0;
  const decision: Decision = {
    relationship,
    context,
    audience: (mask & AUDIENCE) !== 0,
    identity_card: (mask & IDENTITY) !== 0,
    groups: Object.freeze(groups),
    privacy_visible: (mask & PRIVACY) !== 0,
    group_mask: mask & GROUP_BITS,
    ...(context === 'leaderboard'
      ? {
          leaderboard: Object.freeze({
            participates: (mask & PARTICIPATES) !== 0,
            listed,
            pace_allowed: listed && groups.pace,
            profile_image_allowed: listed && groups.profile_info,
          }),
        }
      : {}),
  };
  return Object.freeze(decision);
}

/** slot (relationship × context) → settings bits → decision; rows are created on first use. */
const bySettings: (Decision | undefined)[][] = [];
/** Distinct decisions are few; sharing them keeps the table's memory to pointers. */
const byMask = new Map<number, Decision>();

/** The hot path: a decision without reasons, from the table after the first call. */
export function decisionFor(settings: PrivacySettings, relationship: Relationship, context: PolicyContext): Decision {
  const r = relationshipIndex(relationship);
  const c = contextIndex(context);
  if (r < 0 || c < 0) return buildDecision(maskOf(evaluate(settings, relationship, context), settings, context), relationship, context);
  const slot = slotOf(r, c, CONTEXT_COUNT);
  const bits = settingsBits(settings);
  let row = bySettings[slot];
  if (row === undefined) {
    row = new Array<Decision | undefined>(ROW_LENGTH).fill(undefined);
    bySettings[slot] = row;
  }
  const cached = row[bits];
  if (cached !== undefined) return cached;
  const mask = maskOf(evaluate(settings, relationship, context), settings, context);
  const key = sharedKey(mask, slot, SLOTS);
  let decision = byMask.get(key);
  if (decision === undefined) {
    decision = buildDecision(mask, relationship, context);
    byMask.set(key, decision);
  }
  row[bits] = decision;
  return decision;
}

/** Which rules opened or closed each target, for tests and the owner preview. */
export function explain(request: DecisionRequest): Reason[] {
  return evaluate(request.settings, request.relationship, request.context);
}

export function decide(request: DecisionRequest): DecisionResult {
  const decision = decisionFor(request.settings, request.relationship, request.context);
  let reasons: Reason[] | undefined;
  return {
    decision,
    get reasons(): Reason[] {
      reasons ??= explain(request);
      return reasons;
    },
  };
}

/** The decision's view of one field group. */
export function allows(decision: Decision, group: FieldGroup): boolean {
  return decision.groups[group];
}
