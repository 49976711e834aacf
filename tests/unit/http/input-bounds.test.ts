import { activityInputSchema, withDerivedPace } from '@astral/lib/activities';
import { organizationNameField, parseWith, settingsField, ValidationError } from '@astral/lib/http';
import { groupNameField, nicknameField } from '@astral/lib/organizations';
import { normalizeOrganizationName } from '@astral/lib/repositories';
import { displayNameField, profileFieldSchemas } from '@astral/lib/users';
import { pinClock } from '../../../lib/clock';
import { MAX_BODY_DEPTH, screenJsonBody } from '../../../lib/http/json-guard';

/** The details a rejected value gets, as the 400 body carries them. */
function detailsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected the value to be rejected');
}

const parse = (schema: Parameters<typeof parseWith>[0], value: unknown) => () => parseWith(schema, value, 'body');
/** The pipeline's order: the raw JSON text parsed, screened, then the schema. */
const fromJson = (schema: Parameters<typeof parseWith>[0], json: string) => () =>
  parseWith(schema, screenJsonBody(JSON.parse(json) as unknown), 'body');

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
};

describe('screenJsonBody: what every body passes before its schema', () => {
  it.each<[string, string, { path: string; message: string }[]]>([
    [
      'a __proto__ key, as JSON.parse makes it (an own key)',
      '{"privacy": {"__proto__": {"share_pb": true}}}',
      [{ path: 'privacy.__proto__', message: 'this key is not allowed' }],
    ],
    ['a constructor key', '{"settings": {"constructor": 1}}', [{ path: 'settings.constructor', message: 'this key is not allowed' }]],
    ['a prototype key in an array', '{"a": [{"b": {"prototype": {}}}]}', [{ path: 'a.0.b.prototype', message: 'this key is not allowed' }]],
    [
      'a number above the safe integers',
      '{"n": 9007199254740993}',
      [{ path: 'n', message: 'must be at most 9007199254740991 in magnitude' }],
    ],
    ['1e200', '{"n": 1e200}', [{ path: 'n', message: 'must be at most 9007199254740991 in magnitude' }]],
    ['1e-200', '{"n": [1e-200]}', [{ path: 'n.0', message: 'must be 0 or at least 1e-130 in magnitude' }]],
    ['5e-324', '{"n": -5e-324}', [{ path: 'n', message: 'must be 0 or at least 1e-130 in magnitude' }]],
    ['a lone surrogate', '{"name": "a\\ud800b"}', [{ path: 'name', message: 'is not valid Unicode (a lone surrogate)' }]],
    [
      'a lone surrogate in a key',
      '{"s": {"\\udc00": 1}}',
      [{ path: 's', message: 'key "\\udc00" is not valid Unicode (a lone surrogate)' }],
    ],
  ])('%s is a 400 naming the path', (_name, json, details) => {
    expect(detailsOf(() => screenJsonBody(JSON.parse(json) as unknown))).toEqual(details);
  });

  it('stops at MAX_BODY_DEPTH levels, however deep the body (10,000 levels: no RangeError)', () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const details = detailsOf(() => screenJsonBody(JSON.parse(deep) as unknown)) as { path: string; message: string }[];
    expect(details).toEqual([{ path: Array(MAX_BODY_DEPTH).fill('a').join('.'), message: `nested deeper than ${MAX_BODY_DEPTH} levels` }]);
    expect(() => screenJsonBody(nested(MAX_BODY_DEPTH))).not.toThrow();
  });

  it('returns strings in NFC and leaves storable numbers and safe integers alone', () => {
    const decomposed = 'Cafe\u0301';
    expect(screenJsonBody({ name: decomposed, list: [decomposed], n: 1e-130, m: -9007199254740991, z: 0 })).toEqual({
      name: 'Café',
      list: ['Café'],
      n: 1e-130,
      m: -9007199254740991,
      z: 0,
    });
  });
});

describe('settings: free-form, but bounded', () => {
  it.each<[string, unknown, string]>([
    ['nested 9 levels', nested(9), 'nested at most 8 levels'],
    ['a key of 65 characters deep inside', { a: { ['k'.repeat(65)]: 1 } }, 'keys of 1..64 characters'],
    [
      'more than 200 keys in all',
      Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [`k${i}`, Object.fromEntries(Array.from({ length: 45 }, (__, j) => [`n${j}`, j]))]),
      ),
      'at most 200 keys in all',
    ],
    ['a number DynamoDB cannot store', { a: { b: [1e-200] } }, 'must be 0 or at least 1e-130 in magnitude'],
  ])('%s is a 400 on settings', (_name, value, message) => {
    expect(detailsOf(parse(settingsField, value))).toEqual([{ path: 'body', message }]);
  });

  it('takes 8 levels', () => {
    expect(parseWith(settingsField, nested(8), 'body')).toEqual(nested(8));
  });
});

describe('names: organization, group, display names', () => {
  const fields = { organizationNameField, groupNameField, nicknameField, displayNameField };
  const message = 'must not contain control, bidirectional-override or zero-width characters';

  it.each([
    'Org A\u200b RT',
    'Org\u202eA',
    'Org\u2066A\u2069',
    'Org\u200eA',
    'Org\u061cA',
    'Org\u2060A',
    'Org\ufeffA',
    'Org\u200dA',
    'Org\tA',
    'Org\u0007A',
  ])('%j is refused by every name field', (name) => {
    for (const field of Object.values(fields)) expect(detailsOf(parse(field, name))).toEqual([{ path: 'body', message }]);
  });

  it.each([' ', '\u00a0\u3000', ''])('%j is empty after trimming', (name) => {
    for (const field of Object.values(fields))
      expect(detailsOf(parse(field, name))).toEqual([{ path: 'body', message: 'at least 1 character' }]);
  });

  it('keeps letters of every script, emoji and inner spaces, trimmed, in NFC', () => {
    expect(parseWith(organizationNameField, screenJsonBody('  Ｃlub Café 東京 🏃  '), 'body')).toBe('Ｃlub Café 東京 🏃');
    expect(parseWith(displayNameField, screenJsonBody('Zoe\u0308'), 'body')).toBe('Zoë');
  });

  it('folds organization names for uniqueness: case, spaces, compatibility forms, invisible characters', () => {
    const folded = normalizeOrganizationName('Org A RT');
    for (const other of ['org a  rt', '  ORG A RT ', 'Ｏｒｇ Ａ ＲＴ', 'Org\u00a0A\u3000RT', 'Org A\u00ad RT', 'Org A\u200b RT']) {
      expect(normalizeOrganizationName(other)).toBe(folded);
    }
    expect(normalizeOrganizationName('Café')).toBe(normalizeOrganizationName('Cafe\u0301'));
  });
});

describe('activity and profile numbers', () => {
  const ACTIVITY = { type: 'run', name: 'Morning run', start_time: '2024-05-01T07:00:00Z', distance_m: 5000, moving_time_s: 1500 };
  afterEach(() => pinClock(undefined));

  it.each<[string, string, { path: string; message: string }[]]>([
    ['distance_m 1e-200', '{"distance_m": 1e-200}', [{ path: 'distance_m', message: 'must be 0 or at least 1e-130 in magnitude' }]],
    ['distance_m 1e-9', '{"distance_m": 1e-9}', [{ path: 'distance_m', message: 'must be 0 or at least 0.001' }]],
    ['avg_cadence 5e-324', '{"avg_cadence": 5e-324}', [{ path: 'avg_cadence', message: 'must be 0 or at least 1e-130 in magnitude' }]],
    [
      'map.start_latlng 1e-200',
      '{"map": {"polyline": "", "start_latlng": [1e-200, 0]}}',
      [{ path: 'map.start_latlng.0', message: 'must be 0 or at least 1e-130 in magnitude' }],
    ],
    [
      'start_time 9999-12-31',
      '{"start_time": "9999-12-31T00:00:00Z"}',
      [{ path: 'start_time', message: 'must be at most one day in the future' }],
    ],
  ])('%s is a 400 naming the field', (_name, patch, details) => {
    const json = JSON.stringify(ACTIVITY).replace(/}$/, `,${patch.slice(1)}`);
    expect(detailsOf(fromJson(activityInputSchema, json))).toEqual(details);
  });

  it('race_history[].distance_m 1e-200 is a 400 naming the field', () => {
    expect(
      detailsOf(fromJson(profileFieldSchemas.race_history, '[{"race_name": "Marathon", "date": "2024-05-01", "distance_m": 1e-200}]')),
    ).toEqual([{ path: '0.distance_m', message: 'must be 0 or at least 1e-130 in magnitude' }]);
  });

  it('takes a start time up to one day after now (the pinned clock), and none before 1970', () => {
    pinClock(new Date('2026-03-01T00:00:00Z'));
    expect(() => parseWith(activityInputSchema, { ...ACTIVITY, start_time: '2026-03-02T00:00:00Z' }, 'body')).not.toThrow();
    expect(detailsOf(parse(activityInputSchema, { ...ACTIVITY, start_time: '2026-03-02T00:00:01Z' }))).toEqual([
      { path: 'start_time', message: 'must be at most one day in the future' },
    ]);
    expect(() => parseWith(activityInputSchema, { ...ACTIVITY, start_time: '1970-01-01T00:00:00Z' }, 'body')).not.toThrow();
  });

  it('derives a pace only within its range: a few metres in hours leave it out', () => {
    const input = parseWith(activityInputSchema, ACTIVITY, 'body');
    expect(withDerivedPace(input).avg_pace_s_per_km).toBe(300);
    expect(withDerivedPace({ ...input, distance_m: 0.001, moving_time_s: 1_209_600 }).avg_pace_s_per_km).toBeUndefined();
    expect(withDerivedPace({ ...input, distance_m: 100, moving_time_s: 3600 }).avg_pace_s_per_km).toBe(36_000);
    expect(withDerivedPace({ ...input, distance_m: 0 }).avg_pace_s_per_km).toBeUndefined();
  });
});
