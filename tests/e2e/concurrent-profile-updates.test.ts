import { DEFAULT_PRIVACY, PRIVACY_KEYS } from '../../lib/policy/settings';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Issue 13, "no lost updates": a user's concurrent PUTs of different privacy keys or profile fields
 * all land. Each key is its own document path in one UpdateItem (user-repository.ts), so no request
 * waits on or retries against another; before, 13 concurrent single-key privacy PUTs lost some (500).
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const authFor = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId, { name: 'Busy Athlete' })}` } });

describe('concurrent profile and privacy updates by one user', () => {
  it('13 concurrent single-key privacy PUTs, each a different key: all 200, the profile holds all 13 values', async () => {
    const user = 'usr_concurrentprivacy1';
    const auth = await authFor(user);
    expect((await stack.http.get('/api/v1/users/me', auth)).status).toBe(200);
    // Each key flipped from its default, so a lost update shows as a default.
    const wanted = Object.fromEntries(PRIVACY_KEYS.map((key) => [key, !DEFAULT_PRIVACY[key]]));
    const responses = await Promise.all(
      PRIVACY_KEYS.map((key) => stack.http.put(`/api/v1/users/${user}`, { privacy: { [key]: wanted[key] } }, auth)),
    );
    expect(responses.map((r) => r.status)).toEqual(PRIVACY_KEYS.map(() => 200));
    const after = await stack.http.get(`/api/v1/users/${user}`, auth);
    expect((after.body as { privacy: unknown }).privacy).toEqual(wanted);
  });

  it('the same on a user who never called /users/me (no profile, no stored settings yet): created once, nothing lost', async () => {
    const user = 'usr_concurrentprivacy2';
    const auth = await authFor(user);
    const wanted = Object.fromEntries(PRIVACY_KEYS.map((key) => [key, !DEFAULT_PRIVACY[key]]));
    const responses = await Promise.all(
      PRIVACY_KEYS.map((key) => stack.http.put(`/api/v1/users/${user}`, { privacy: { [key]: wanted[key] } }, auth)),
    );
    expect(responses.map((r) => r.status)).toEqual(PRIVACY_KEYS.map(() => 200));
    expect(((await stack.http.get(`/api/v1/users/${user}`, auth)).body as { privacy: unknown }).privacy).toEqual(wanted);
  });

  it('concurrent PUTs of different profile fields, and privacy keys among them, all land', async () => {
    const user = 'usr_concurrentfields1';
    const auth = await authFor(user);
    expect((await stack.http.get('/api/v1/users/me', auth)).status).toBe(200);
    const patches: Record<string, unknown>[] = [
      { bio: 'Runs before dawn' },
      { gender: 'female' },
      { mbti: 'INTJ' },
      { display_name: 'Renamed Athlete' },
      { profile_image_url: 'https://example.com/me.png' },
      { connections: { strava: true } },
      { race_goal: { race_name: 'City Marathon', race_date: '2027-04-18' } },
      { privacy: { share_pb: false } },
      { privacy: { share_activity_with_public: true } },
      { personal_bests: [{ distance: '5k', time_s: 1100 }] },
    ];
    const responses = await Promise.all(patches.map((patch) => stack.http.put(`/api/v1/users/${user}`, patch, auth)));
    expect(responses.map((r) => r.status)).toEqual(patches.map(() => 200));
    const profile = (await stack.http.get(`/api/v1/users/${user}`, auth)).body as Record<string, unknown> & {
      privacy: Record<string, boolean>;
    };
    for (const patch of patches) {
      const { privacy, ...fields } = patch as { privacy?: Record<string, boolean> };
      expect(profile).toMatchObject(fields);
      if (privacy) expect(profile.privacy).toMatchObject(privacy);
    }
  });
});
