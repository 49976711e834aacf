import {
  DEFAULT_PRIVACY,
  PRIVACY_KEYS,
  applyPrivacyPatch,
  resolveSettings,
  settingsBits,
  settingsFromBits,
  type PrivacySettings,
} from '@astral/lib/policy';

const ALL_KEYS = [
  'share_activity_in_profile',
  'share_activity_with_group',
  'share_activity_with_coach',
  'share_activity_with_public',
  'share_pace_data',
  'share_activity_map',
  'share_race_history',
  'share_pb',
  'share_race_goal',
  'share_profile_info',
  'share_training_data',
  'share_with_coach',
  'paticipate_leaderboard',
];

describe('settings and defaults (privacy.md §1)', () => {
  test('13 keys with the documented spelling', () => {
    expect([...PRIVACY_KEYS].sort()).toEqual([...ALL_KEYS].sort());
    expect(PRIVACY_KEYS).not.toContain('participate_leaderboard');
  });

  test('defaults: public off, everything else on', () => {
    for (const key of ALL_KEYS)
      expect([key, DEFAULT_PRIVACY[key as keyof PrivacySettings]]).toEqual([key, key !== 'share_activity_with_public']);
  });

  test.each([
    ['never saved settings', undefined],
    ['has null settings', null],
    ['saved an empty object', {}],
  ])('a user who %s gets all 13 defaults', (_label, stored) => {
    expect(resolveSettings(stored)).toEqual(DEFAULT_PRIVACY);
  });

  test('stored values win, missing keys default, junk is ignored', () => {
    const resolved = resolveSettings({ share_pb: false, share_activity_with_public: true, share_race_goal: 'no', extra: true });
    expect(resolved).toEqual({ ...DEFAULT_PRIVACY, share_pb: false, share_activity_with_public: true });
    expect(Object.keys(resolved).sort()).toEqual([...ALL_KEYS].sort());
  });

  test('settingsBits is a bijection on the 2^13 combinations', () => {
    const roundTripFailures: number[] = [];
    const seen = new Set<string>();
    for (let bits = 0; bits < 1 << 13; bits++) {
      const settings = settingsFromBits(bits);
      if (settingsBits(settings) !== bits) roundTripFailures.push(bits);
      seen.add(JSON.stringify(settings));
    }
    expect(roundTripFailures).toEqual([]);
    expect(seen.size).toBe(8192);
  });
});

describe('applyPrivacyPatch (PUT /users/{id} privacy)', () => {
  const current: PrivacySettings = { ...DEFAULT_PRIVACY, share_pb: false };

  test.each<[string, Record<string, unknown>, Partial<PrivacySettings>, string[]]>([
    [
      'the documented example',
      { share_activity_with_public: false, share_activity_map: false, paticipate_leaderboard: false },
      { share_activity_map: false, paticipate_leaderboard: false },
      ['share_activity_map', 'paticipate_leaderboard'],
    ],
    ['partial update keeps the others', { share_pace_data: false }, { share_pace_data: false }, ['share_pace_data']],
    ['turning a stored false back on', { share_pb: true }, { share_pb: true }, ['share_pb']],
    [
      'the alias participate_leaderboard',
      { participate_leaderboard: false },
      { paticipate_leaderboard: false },
      ['paticipate_leaderboard'],
    ],
    [
      'alias and documented key agreeing',
      { participate_leaderboard: false, paticipate_leaderboard: false },
      { paticipate_leaderboard: false },
      ['paticipate_leaderboard'],
    ],
    ['an empty object changes nothing', {}, {}, []],
    ['same values change nothing', { share_pb: false }, {}, []],
  ])('ALLOW %s', (_label, patch, expectedChanges, changed) => {
    const result = applyPrivacyPatch(current, patch);
    expect(result).toEqual({ ok: true, settings: { ...current, ...expectedChanges }, changed });
    if (result.ok) expect(Object.keys(result.settings)).not.toContain('participate_leaderboard');
  });

  test.each<[string, unknown, { path: string; message: string }[]]>([
    ['an unknown key', { share_everything: true }, [{ path: 'privacy.share_everything', message: 'unknown privacy setting' }]],
    ['a non-boolean', { share_pb: 'false' }, [{ path: 'privacy.share_pb', message: 'must be a boolean' }]],
    ['null as a value', { share_pb: null }, [{ path: 'privacy.share_pb', message: 'must be a boolean' }]],
    ['a number for the alias', { participate_leaderboard: 0 }, [{ path: 'privacy.participate_leaderboard', message: 'must be a boolean' }]],
    [
      'alias and documented key conflicting',
      { paticipate_leaderboard: true, participate_leaderboard: false },
      [{ path: 'privacy.participate_leaderboard', message: 'conflicts with paticipate_leaderboard' }],
    ],
    [
      'conflict in the other order',
      { participate_leaderboard: false, paticipate_leaderboard: true },
      [{ path: 'privacy.participate_leaderboard', message: 'conflicts with paticipate_leaderboard' }],
    ],
    [
      'several problems at once, each named',
      { share_pb: 1, bogus: true, share_race_goal: true },
      [
        { path: 'privacy.share_pb', message: 'must be a boolean' },
        { path: 'privacy.bogus', message: 'unknown privacy setting' },
      ],
    ],
    ['a prototype key', JSON.parse('{"__proto__": true}'), [{ path: 'privacy.__proto__', message: 'unknown privacy setting' }]],
    ['not an object', 'yes', [{ path: 'privacy', message: 'must be an object' }]],
    ['an array', [true], [{ path: 'privacy', message: 'must be an object' }]],
    ['null', null, [{ path: 'privacy', message: 'must be an object' }]],
  ])('DENY %s: nothing changes', (_label, patch, issues) => {
    const before = { ...current };
    expect(applyPrivacyPatch(current, patch)).toEqual({ ok: false, issues });
    expect(current).toEqual(before);
  });
});
