import { buildPreview, RULES } from '@astral/lib/policy';

const user = {
  user_id: 'usr_a',
  display_name: 'Alex',
  profile_image_url: 'https://cdn/a.jpg',
  bio: 'runs',
  gender: 'female',
  personal_bests: { '5k': 1200 },
  privacy: { share_pace_data: false, share_pb: false },
};
const activity = {
  activity_id: 'act_1',
  user_id: 'usr_a',
  type: 'run',
  name: 'Easy',
  start_time: '2025-04-23T06:00:00Z',
  distance_m: 8000,
  moving_time_s: 2880,
  avg_pace_s_per_km: 360,
};

describe('owner preview (§6)', () => {
  test('as coach, activity context: the override shows pace, and the reasons say why', () => {
    const preview = buildPreview({ as: 'coach', context: 'activity', user, activities: [activity] });
    expect(preview.view).toEqual({ activities: [activity], count: 1 });
    expect(preview.reasons.find((r) => r.target === 'pace')).toEqual({
      target: 'pace',
      effect: 'allow',
      rule: 'coach-override',
      description: RULES['coach-override'],
    });
  });

  test('as group, profile context: toggles apply, settings never shown', () => {
    const preview = buildPreview({ as: 'group', context: 'profile', user });
    expect(preview).toMatchObject({
      as: 'group',
      context: 'profile',
      view: { user_id: 'usr_a', display_name: 'Alex', profile_image_url: 'https://cdn/a.jpg', bio: 'runs', gender: 'female' },
    });
    expect(preview.view).not.toHaveProperty('personal_bests');
    expect(preview.view).not.toHaveProperty('privacy');
    expect(preview.reasons.find((r) => r.target === 'personal_bests')?.rule).toBe('detail-toggle-off:share_pb');
  });

  test('as public, defaults: identity card only, closed by the public toggle', () => {
    const preview = buildPreview({ as: 'public', context: 'profile', user });
    expect(preview.view).toEqual({ user_id: 'usr_a', display_name: 'Alex' });
    expect(preview.reasons.find((r) => r.target === 'audience')).toMatchObject({ effect: 'deny', rule: 'audience-public-closed' });
    expect(buildPreview({ as: 'public', context: 'activity', user, activities: [activity] }).view).toEqual({ activities: [], count: 0 });
  });

  test('as coach, leaderboard: no override, left out of a pace board', () => {
    const pace = buildPreview({ as: 'coach', context: 'leaderboard', user, leaderboard: { metric: 'pace', value: 360, rank: 2 } });
    expect(pace.view).toEqual({ metric: 'pace', entries: [], count: 0 });
    expect(pace.reasons.find((r) => r.target === 'pace')).toMatchObject({ effect: 'deny', rule: 'leaderboard-no-override' });
    const distance = buildPreview({ as: 'coach', context: 'leaderboard', user, leaderboard: { metric: 'distance', value: 8000 } });
    expect(distance.view).toEqual({
      metric: 'distance',
      entries: [{ rank: 1, user_id: 'usr_a', display_name: 'Alex', value: 8000, profile_image_url: 'https://cdn/a.jpg' }],
      count: 1,
    });
  });

  test('every reason carries its rule description', () => {
    for (const r of buildPreview({ as: 'group', context: 'leaderboard', user }).reasons) expect(r.description).toBe(RULES[r.rule]);
  });
});
