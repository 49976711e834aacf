import { activityInputSchema } from '@astral/lib/activities';
import { parseWith, settingsField, ValidationError, z } from '@astral/lib/http';
import { profileFieldSchemas } from '@astral/lib/users';

/** The details a rejected value gets, as the 400 body carries them. */
function detailsOf(schema: Parameters<typeof parseWith>[0], value: unknown, root = 'body'): unknown {
  try {
    parseWith(schema, value, root);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected the value to be rejected');
}

const ACTIVITY = { type: 'run', name: 'Morning run', start_time: '2024-05-01T07:00:00Z', distance_m: 5000, moving_time_s: 1500 };

// zod/mini has no message text: every message below is written in lib/http/validation.ts (or by the schema).
describe('parseWith messages', () => {
  it.each<[string, unknown, { path: string; message: string }[]]>([
    ['a missing field', { ...ACTIVITY, name: undefined }, [{ path: 'name', message: 'required' }]],
    ['a wrong type', { ...ACTIVITY, name: 42 }, [{ path: 'name', message: 'expected string' }]],
    ['a string too long', { ...ACTIVITY, name: 'x'.repeat(201) }, [{ path: 'name', message: 'at most 200 characters' }]],
    ['a string empty after trimming', { ...ACTIVITY, name: '   ' }, [{ path: 'name', message: 'at least 1 character' }]],
    ['a number out of range', { ...ACTIVITY, distance_m: -1 }, [{ path: 'distance_m', message: 'must be at least 0' }]],
    [
      'too many items',
      { ...ACTIVITY, splits: Array.from({ length: 501 }, () => ({ distance_m: 1000, time_s: 300 })) },
      [{ path: 'splits', message: 'at most 500 items' }],
    ],
    [
      'a value outside the enum',
      { ...ACTIVITY, type: 'swim' },
      [{ path: 'type', message: 'must be one of: run, trail_run, treadmill, race, workout, other' }],
    ],
    [
      'a date-time without offset',
      { ...ACTIVITY, start_time: '2024-05-01T07:00:00' },
      [{ path: 'start_time', message: 'must be an ISO 8601 date-time with a time zone offset' }],
    ],
    [
      'a refinement, with its own message',
      { ...ACTIVITY, start_time: '1969-12-31T23:59:59Z' },
      [{ path: 'start_time', message: 'must be on or after 1970-01-01' }],
    ],
    [
      'unknown fields, one by one',
      { ...ACTIVITY, colour: 'red', map: { polyline: '', zoom: 3 } },
      [
        { path: 'map.zoom', message: 'unknown field' },
        { path: 'colour', message: 'unknown field' },
      ],
    ],
  ])('%s', (_name, value, details) => {
    expect(detailsOf(activityInputSchema, value)).toEqual(details);
  });

  it('names the root for a value that is not an object, and integers and dates in their own words', () => {
    expect(detailsOf(activityInputSchema, 'run')).toEqual([{ path: 'body', message: 'expected object' }]);
    expect(detailsOf(profileFieldSchemas.race_history, [{ race_name: 'Berlin', date: '2024-13-01', place: 1.5 }], 'race_history')).toEqual([
      { path: '0.date', message: 'must be a date (YYYY-MM-DD)' },
      { path: '0.place', message: 'expected integer' },
    ]);
  });

  it("keeps a schema's own message: patterns, https URLs, settings bounds", () => {
    expect(detailsOf(profileFieldSchemas.mbti, 'ABCD', 'mbti')).toEqual([
      { path: 'mbti', message: 'must be a 4-letter type such as INTJ' },
    ]);
    expect(detailsOf(profileFieldSchemas.profile_image_url, 'http://example.com/a.png', 'profile_image_url')).toEqual([
      { path: 'profile_image_url', message: 'must be an https URL' },
    ]);
    expect(detailsOf(profileFieldSchemas.profile_image_url, `https://example.com/${'a'.repeat(2048)}`, 'profile_image_url')).toEqual([
      { path: 'profile_image_url', message: 'at most 2048 characters' },
    ]);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(detailsOf(settingsField, tooMany, 'settings')).toEqual([{ path: 'settings', message: 'at most 50 keys' }]);
    expect(detailsOf(z.strictObject({ settings: settingsField }), { settings: { ['k'.repeat(65)]: 1 } })).toEqual([
      { path: `settings.${'k'.repeat(65)}`, message: 'invalid key: at most 64 characters' },
    ]);
  });

  it('sums the offending fields up in the error message', () => {
    expect(() => parseWith(activityInputSchema, { ...ACTIVITY, name: '', distance_m: 'far' }, 'body')).toThrow(
      'invalid request: name, distance_m',
    );
  });
});
