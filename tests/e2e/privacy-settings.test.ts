import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let auth: { headers: Record<string, string> };
const USER = 'usr_settingsowner1';

beforeAll(async () => {
  stack = await startTestStack();
  auth = { headers: { Authorization: `Bearer ${await stack.token(USER, { name: 'Settings Owner' })}` } };
  // The owner exists for every test, whichever runs first: GET /users/me creates them from the token's claims.
  expect((await stack.http.get('/api/v1/users/me', auth)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
});

const privacyOf = async () => ((await stack.http.get(`/api/v1/users/${USER}`, auth)).body as { privacy: Record<string, boolean> }).privacy;

describe('privacy settings over HTTP', () => {
  it('defaults are as privacy.md §1: everything on but public sharing, all 13 keys shown to the owner', async () => {
    const me = await stack.http.get('/api/v1/users/me', auth);
    expect(me.status).toBe(200);
    expect((me.body as { privacy: unknown }).privacy).toEqual({
      share_activity_in_profile: true,
      share_activity_with_group: true,
      share_activity_with_coach: true,
      share_activity_with_public: false,
      share_pace_data: true,
      share_activity_map: true,
      share_race_history: true,
      share_pb: true,
      share_race_goal: true,
      share_profile_info: true,
      share_training_data: true,
      share_with_coach: true,
      paticipate_leaderboard: true,
    });
  });

  it("the document's PUT example works as written and leaves the other settings unchanged", async () => {
    const before = await privacyOf();
    const response = await stack.http.put(
      `/api/v1/users/${USER}`,
      { privacy: { share_activity_with_public: false, share_activity_map: false, paticipate_leaderboard: false } },
      auth,
    );
    expect(response.status).toBe(200);
    expect((response.body as { privacy: unknown }).privacy).toEqual({
      ...before,
      share_activity_with_public: false,
      share_activity_map: false,
      paticipate_leaderboard: false,
    });
    expect(await privacyOf()).toEqual({
      ...before,
      share_activity_with_public: false,
      share_activity_map: false,
      paticipate_leaderboard: false,
    });
  });

  it('accepts the correct spelling participate_leaderboard as an alias, answering with the documented one', async () => {
    const response = await stack.http.put(`/api/v1/users/${USER}`, { privacy: { participate_leaderboard: true } }, auth);
    expect(response.status).toBe(200);
    const privacy = (response.body as { privacy: Record<string, boolean> }).privacy;
    expect(privacy.paticipate_leaderboard).toBe(true);
    expect(privacy).not.toHaveProperty('participate_leaderboard');
  });

  it.each([
    ['an unknown key', { share_everything: true }, 'privacy.share_everything'],
    ['a non-boolean value', { share_pb: 'yes' }, 'privacy.share_pb'],
    [
      'both spellings with different values',
      { paticipate_leaderboard: true, participate_leaderboard: false },
      'privacy.participate_leaderboard',
    ],
  ])('%s is a 400 naming the key, and changes nothing (not even the valid keys beside it)', async (_name, patch, path) => {
    const before = await privacyOf();
    const response = await stack.http.put(
      `/api/v1/users/${USER}`,
      { privacy: { share_race_goal: !before.share_race_goal, ...patch }, bio: 'should not land' },
      auth,
    );
    expect(response.status).toBe(400);
    expect((response.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
    expect(await privacyOf()).toEqual(before);
    expect((await stack.http.get(`/api/v1/users/${USER}`, auth)).body).not.toHaveProperty('bio', 'should not land');
  });

  it('profile fields: unknown fields, wrong types and oversized values are 400 naming the field; null clears a field', async () => {
    const bad = await stack.http.put(
      `/api/v1/users/${USER}`,
      { nickname: 'x', bio: 5, race_history: Array.from({ length: 201 }, () => ({ race_name: 'r', date: '2025-01-01' })) },
      auth,
    );
    expect(bad.status).toBe(400);
    expect((bad.body as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual(['bio', 'nickname', 'race_history']);
    expect((await stack.http.put(`/api/v1/users/${USER}`, { bio: 'Runner' }, auth)).body).toHaveProperty('bio', 'Runner');
    expect((await stack.http.put(`/api/v1/users/${USER}`, { bio: null }, auth)).body).not.toHaveProperty('bio');
  });

  it('concurrent partial updates of different settings both land', async () => {
    await Promise.all([
      stack.http.put(`/api/v1/users/${USER}`, { privacy: { share_pb: false } }, auth),
      stack.http.put(`/api/v1/users/${USER}`, { privacy: { share_race_history: false } }, auth),
      stack.http.put(`/api/v1/users/${USER}`, { privacy: { share_profile_info: false } }, auth),
    ]);
    expect(await privacyOf()).toMatchObject({ share_pb: false, share_race_history: false, share_profile_info: false });
  });
});
