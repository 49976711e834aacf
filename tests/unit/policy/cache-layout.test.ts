// The decision cache's layout (lib/policy/cache-layout.ts) must give every (relationship, context,
// settings) combination its own cell: two combinations in one cell would serve one audience another's
// decision. Checked for today's lists and for lists one entry longer, since the layout is a pure
// function of their lengths: a new relationship, context, setting or field group must not alias.
import { CONTEXTS, FIELD_GROUPS, PRIVACY_KEYS, RELATIONSHIPS, type PolicyContext, type Relationship } from '@astral/lib/policy';
import {
  cacheLayout,
  contextIndex,
  ENGINE_LAYOUT,
  ENGINE_MASK,
  maskLayout,
  relationshipIndex,
  sharedKey,
  slotOf,
} from '../../../lib/policy/cache-layout';
import { positionIn } from '../../../lib/policy/list-position';
import { scanBits, settingsBits, settingsFromBits } from '../../../lib/policy/settings';

interface Lengths {
  readonly relationships: number;
  readonly contexts: number;
  readonly settings: number;
}

const TODAY: Lengths = { relationships: RELATIONSHIPS.length, contexts: CONTEXTS.length, settings: PRIVACY_KEYS.length };

/**
 * Addresses every combination as the engine does (row `slotOf(r, c)`, cell `bits` of that row) and
 * returns what went wrong: addresses outside the table, and cells reached twice. `bitsOf` maps a
 * combination number to its settings bits (the identity for lengths the code does not have yet).
 */
function aliasing(lengths: Lengths, bitsOf: (combination: number) => number = (b) => b): string[] {
  const layout = cacheLayout(lengths.relationships, lengths.contexts, lengths.settings);
  const combinations = 2 ** lengths.settings;
  const seen = new Uint8Array(layout.slots * layout.rowLength);
  const problems: string[] = [];
  for (let r = 0; r < lengths.relationships; r++) {
    for (let c = 0; c < lengths.contexts; c++) {
      const slot = slotOf(r, c, layout.contexts);
      if (!Number.isInteger(slot) || slot < 0 || slot >= layout.slots) {
        problems.push(`(${r}, ${c}) -> row ${slot} outside ${layout.slots} rows`);
        continue;
      }
      for (let combination = 0; combination < combinations; combination++) {
        const bits = bitsOf(combination);
        if (!Number.isInteger(bits) || bits < 0 || bits >= layout.rowLength) {
          problems.push(`(${r}, ${c}, ${combination}) -> cell ${bits} outside a row of ${layout.rowLength}`);
          break;
        }
        const cell = slot * layout.rowLength + bits;
        if (seen[cell] === 1) {
          problems.push(`(${r}, ${c}, ${combination}) -> row ${slot} cell ${bits}, already taken`);
          break;
        }
        seen[cell] = 1;
      }
    }
  }
  return problems.slice(0, 5);
}

/** Today's lengths, and every way of making one or more lists one entry longer. */
const GROWN: [string, Lengths][] = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => {
  const lengths = {
    relationships: TODAY.relationships + (m & 1),
    contexts: TODAY.contexts + ((m >> 1) & 1),
    settings: TODAY.settings + ((m >> 2) & 1),
  };
  return [`${lengths.relationships} relationships × ${lengths.contexts} contexts × 2^${lengths.settings} settings`, lengths];
});

describe('decision cache layout: one cell per (relationship, context, settings)', () => {
  test('the engine is laid out from the lists it indexes', () => {
    expect(ENGINE_LAYOUT).toEqual(cacheLayout(RELATIONSHIPS.length, CONTEXTS.length, PRIVACY_KEYS.length));
    expect(ENGINE_LAYOUT.slots * ENGINE_LAYOUT.rowLength).toBe(RELATIONSHIPS.length * CONTEXTS.length * 2 ** PRIVACY_KEYS.length);
    expect(ENGINE_MASK).toEqual(maskLayout(FIELD_GROUPS.length));
  });

  test('relationship and context indexes are positions in their lists; unknown ones are not cached', () => {
    expect(RELATIONSHIPS.map((rel) => relationshipIndex(rel))).toEqual(RELATIONSHIPS.map((_, i) => i));
    expect(CONTEXTS.map((ctx) => contextIndex(ctx))).toEqual(CONTEXTS.map((_, i) => i));
    expect(relationshipIndex('not-a-relationship' as Relationship)).toBe(-1);
    expect(contextIndex('not-a-context' as PolicyContext)).toBe(-1);
    // The slow path the switches fall back to, for an entry they do not name yet.
    expect(positionIn<string>(['a', 'b', 'c'], 'c')).toBe(2);
    expect(positionIn<string>(['a', 'b', 'c'], 'd')).toBe(-1);
  });

  test("today's lists, with the real settings bits: every combination has its own cell", () => {
    const bits = Array.from({ length: 2 ** PRIVACY_KEYS.length }, (_, b) => settingsBits(settingsFromBits(b)));
    expect(aliasing(TODAY, (b) => bits[b] ?? -1)).toEqual([]);
  });

  test.each(GROWN)('%s: every combination has its own cell', (_label, lengths) => {
    expect(aliasing(lengths)).toEqual([]);
  });

  test('settings bits: the fast path agrees with the definition (bit i = PRIVACY_KEYS[i]) on every combination', () => {
    const disagreements: number[] = [];
    for (let b = 0; b < 2 ** PRIVACY_KEYS.length; b++) {
      const settings = settingsFromBits(b);
      if (settingsBits(settings) !== scanBits(settings, PRIVACY_KEYS) || settingsBits(settings) !== b) disagreements.push(b);
    }
    expect(disagreements).toEqual([]);
  });

  test.each([FIELD_GROUPS.length, FIELD_GROUPS.length + 1])(
    'decision masks with %i field groups: one bit per target, none shared',
    (groups) => {
      const mask = maskLayout(groups);
      const targets = [mask.audience, mask.identity, mask.privacy, mask.listed, mask.participates];
      const groupBits = Array.from({ length: groups }, (_, i) => 1 << i);
      expect(groupBits.reduce((a, b) => a | b, 0)).toBe(mask.groupBits);
      const all = [...groupBits, ...targets];
      expect(all.every((b) => b > 0 && (b & (b - 1)) === 0 && b < mask.limit)).toBe(true);
      expect(all.reduce((a, b) => a | b, 0)).toBe(mask.limit - 1);
      expect(new Set(all).size).toBe(all.length);
    },
  );

  test.each([
    [TODAY.relationships, TODAY.contexts, FIELD_GROUPS.length],
    [TODAY.relationships + 1, TODAY.contexts + 1, FIELD_GROUPS.length + 1],
  ])('shared decisions (%i relationships, %i contexts, %i groups): one key per (mask, row)', (relationships, contexts, groups) => {
    const { slots } = cacheLayout(relationships, contexts, 1);
    const { limit } = maskLayout(groups);
    const seen = new Uint8Array(limit * slots);
    let collisions = 0;
    for (let mask = 0; mask < limit; mask++) {
      for (let slot = 0; slot < slots; slot++) {
        const key = sharedKey(mask, slot, slots);
        if (key < 0 || key >= seen.length || seen[key] === 1) collisions++;
        else seen[key] = 1;
      }
    }
    expect(collisions).toBe(0);
  });

  test('impossible layouts are refused rather than wrapped', () => {
    expect(() => cacheLayout(0, TODAY.contexts, TODAY.settings)).toThrow(RangeError);
    expect(() => cacheLayout(TODAY.relationships, TODAY.contexts, 40)).toThrow(RangeError);
    expect(() => maskLayout(40)).toThrow(RangeError);
  });
});
