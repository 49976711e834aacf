import { decode, encode } from '@googlemaps/polyline-codec';
import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Privacy zones over HTTP (issue 16, privacy.md §9, ADR 0018): an athlete's activity recorded before
 * they drew a zone around its start is shown to every viewer but them without a point inside the zone,
 * on every path that carries a map (the activity, the list, the coach view, the feed, the preview),
 * the coach override included; the zones themselves are the owner's alone. Distances are checked with
 * a function written here, not the engine's.
 */
type LatLng = [number, number];
interface MapView {
  polyline?: string;
  start_latlng?: LatLng;
  end_latlng?: LatLng;
}
interface ActivityView {
  activity_id: string;
  map?: MapView;
}

const HOME: LatLng = [52.52, 13.405];
const RADIUS_M = 300;
const ZONE = { lat: HOME[0], lng: HOME[1], radius_m: RADIUS_M };
/** North from the front door, about 111 m a step: 0, 111 and 222 m are inside the zone, 333 m on are not. */
const ROUTE: LatLng[] = Array.from({ length: 25 }, (_, i) => [Number((HOME[0] + i * 0.001).toFixed(5)), HOME[1]]);
const END = ROUTE[ROUTE.length - 1] as LatLng;
const MAP = { polyline: encode(ROUTE, 5), start_latlng: HOME, end_latlng: END };

/** Great-circle distance by the spherical law of cosines (fine at these distances), in metres. */
function metres(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const cos = Math.sin(a[0] * rad) * Math.sin(b[0] * rad) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.cos((b[1] - a[1]) * rad);
  return 6_371_008.8 * Math.acos(Math.min(1, cos));
}

const DAY = '2026-06-10';
let stack: TestStack;
let cast: OrgCast;
let activityId: string;
const as = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

async function putProfile(body: Record<string, unknown>, userId = cast.athlete) {
  return stack.http.put<Record<string, unknown> & { details?: { path: string; message: string }[] }>(
    `/api/v1/users/${cast.athlete}`,
    body,
    await as(userId),
  );
}

/** The map a viewer gets on one path: asserts it is there. */
function mapOf(activities: ActivityView[] | undefined): MapView {
  const found = activities?.find((a) => a.activity_id === activityId);
  expect(found?.map).toBeDefined();
  return found?.map ?? {};
}

/** No point of the map lies in the zone; the start (at the zone's centre) is gone, the end (outside) stays. */
function expectMasked(map: MapView, { polyline }: { polyline: boolean }): void {
  expect(map.start_latlng).toBeUndefined();
  expect(map.end_latlng).toEqual(END);
  if (!polyline) {
    expect(map.polyline).toBeUndefined();
    return;
  }
  const points = decode(map.polyline ?? '', 5);
  expect(points.length).toBe(ROUTE.length - 3);
  for (const point of points) expect(metres(point, HOME)).toBeGreaterThan(RADIUS_M);
  expect(points).toEqual(ROUTE.filter((p) => metres(p, HOME) > RADIUS_M));
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(new Date(`${DAY}T08:00:00Z`));
  cast = await createOrgCast(stack);
  const created = await stack.http.post<{ activity: { activity_id: string } }>(
    `/api/v1/users/${cast.athlete}/activities`,
    { type: 'run', name: 'From the front door', start_time: `${DAY}T06:00:00Z`, distance_m: 2700, moving_time_s: 900, map: MAP },
    await as(cast.athlete),
  );
  expect(created.status).toBe(201);
  activityId = created.body?.activity.activity_id ?? '';
  // Projected into the feed before the zone exists: the zone must apply when the feed is read.
  await stack.drainStreams();
  const zoned = await putProfile({ privacy_zones: [ZONE] });
  expect([zoned.status, zoned.body?.privacy_zones]).toEqual([200, [ZONE]]);
});

afterAll(async () => {
  await stack?.stop();
});

test("the coach's single activity: no polyline point in the zone, start omitted, end kept; the owner's is unchanged", async () => {
  const coach = await stack.http.get<ActivityView>(`/api/v1/users/${cast.athlete}/activities/${activityId}`, await as(cast.assignedCoach));
  expect(coach.status).toBe(200);
  expectMasked(coach.body?.map ?? {}, { polyline: true });
  const owner = await stack.http.get<ActivityView>(`/api/v1/users/${cast.athlete}/activities/${activityId}`, await as(cast.athlete));
  expect(owner.body?.map).toEqual(MAP);
  const kept = decode(coach.body?.map?.polyline ?? '', 5);
  process.stderr.write(
    `privacy-zones: coach's polyline ${kept.length} of ${ROUTE.length} points, nearest ${Math.min(...kept.map((p) => metres(p, HOME))).toFixed(1)} m from the centre of a ${RADIUS_M} m zone; owner's map unchanged\n`,
  );
});

test('the list, the coach view, the feed and the preview carry no point in the zone; the owner still sees the start', async () => {
  type List = { activities: ActivityView[] };
  const list = await stack.http.get<List>(`/api/v1/users/${cast.athlete}/activities`, await as(cast.headCoach));
  expectMasked(mapOf(list.body?.activities), { polyline: false });
  const fellowList = await stack.http.get<List>(`/api/v1/users/${cast.athlete}/activities`, await as(cast.fellow));
  expectMasked(mapOf(fellowList.body?.activities), { polyline: false });
  const coachView = await stack.http.get<List>(`/api/v1/organizations/${cast.orgId}/members/${cast.athlete}`, await as(cast.assignedCoach));
  expect(coachView.status).toBe(200);
  expectMasked(mapOf(coachView.body?.activities), { polyline: false });
  for (const viewer of [cast.fellow, cast.headCoach]) {
    const feed = await stack.http.get<List>(`/api/v1/organizations/${cast.orgId}/feed`, await as(viewer));
    expect(feed.status).toBe(200);
    expectMasked(mapOf(feed.body?.activities), { polyline: false });
  }
  for (const audience of ['coach', 'group']) {
    const preview = await stack.http.get<{ view: List }>(
      `/api/v1/users/${cast.athlete}/privacy/preview?as=${audience}&context=activity`,
      await as(cast.athlete),
    );
    expect(preview.status).toBe(200);
    expectMasked(mapOf(preview.body?.view.activities), { polyline: false });
  }
  const own = await stack.http.get<List>(`/api/v1/users/${cast.athlete}/activities`, await as(cast.athlete));
  expect(mapOf(own.body?.activities)).toEqual({ start_latlng: HOME, end_latlng: END });
});

test('the coach override opens the map when it is not shared, but does not lift the zone', async () => {
  expect((await putProfile({ privacy: { share_activity_map: false, share_with_coach: true } })).status).toBe(200);
  try {
    const single = await stack.http.get<ActivityView>(
      `/api/v1/users/${cast.athlete}/activities/${activityId}`,
      await as(cast.assignedCoach),
    );
    expectMasked(single.body?.map ?? {}, { polyline: true });
    const coachView = await stack.http.get<{ activities: ActivityView[] }>(
      `/api/v1/organizations/${cast.orgId}/members/${cast.athlete}`,
      await as(cast.headCoach),
    );
    expectMasked(mapOf(coachView.body?.activities), { polyline: false });
    const fellow = await stack.http.get<ActivityView>(`/api/v1/users/${cast.athlete}/activities/${activityId}`, await as(cast.fellow));
    expect(fellow.body?.map).toBeUndefined();
  } finally {
    expect((await putProfile({ privacy: { share_activity_map: true } })).status).toBe(200);
  }
});

test('the zones are the owner’s alone: on their profile, /users/me and the export, and on no one else’s view, whatever the settings', async () => {
  expect((await putProfile({ privacy: { share_activity_with_public: true }, bio: 'runs from home' })).status).toBe(200);
  try {
    for (const viewer of [cast.headCoach, cast.assignedCoach, cast.coCoach, cast.fellow, cast.stranger]) {
      const profile = await stack.http.get<Record<string, unknown>>(`/api/v1/users/${cast.athlete}`, await as(viewer));
      expect([viewer, profile.status, profile.body?.bio]).toEqual([viewer, 200, 'runs from home']);
      expect(profile.text).not.toContain('privacy_zones');
    }
    const byKey = await stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: { 'X-API-Key': cast.appKey } });
    expect(byKey.text).not.toContain('privacy_zones');
    const owner = await stack.http.get<Record<string, unknown>>(`/api/v1/users/${cast.athlete}`, await as(cast.athlete));
    expect(owner.body?.privacy_zones).toEqual([ZONE]);
    const me = await stack.http.get<Record<string, unknown>>('/api/v1/users/me', await as(cast.athlete));
    expect(me.body?.privacy_zones).toEqual([ZONE]);
    const exported = await stack.http.get<{ profile?: Record<string, unknown>; activities: ActivityView[] }>(
      '/api/v1/users/me/export',
      await as(cast.athlete),
    );
    expect(exported.status).toBe(200);
    expect(exported.body?.profile?.privacy_zones).toEqual([ZONE]);
    expect(exported.body?.activities.find((a) => a.activity_id === activityId)?.map).toEqual(MAP);
  } finally {
    expect((await putProfile({ privacy: { share_activity_with_public: false } })).status).toBe(200);
  }
});

test.each<[string, unknown, string]>([
  ['six zones', Array.from({ length: 6 }, () => ZONE), 'privacy_zones'],
  ['a radius under 100 m', [{ ...ZONE, radius_m: 99 }], 'privacy_zones.0.radius_m'],
  ['a radius over 2000 m', [ZONE, { ...ZONE, radius_m: 2001 }], 'privacy_zones.1.radius_m'],
  ['a latitude out of range', [{ ...ZONE, lat: 90.5 }], 'privacy_zones.0.lat'],
  ['a longitude out of range', [{ ...ZONE, lng: -180.5 }], 'privacy_zones.0.lng'],
  ['a missing radius', [{ lat: 1, lng: 1 }], 'privacy_zones.0.radius_m'],
  ['an unknown key', [{ ...ZONE, name: 'home' }], 'privacy_zones.0.name'],
  ['not a list', ZONE, 'privacy_zones'],
])('%s is a 400 naming the field, and nothing is written', async (_name, zones, path) => {
  const response = await putProfile({ privacy_zones: zones });
  expect(response.status).toBe(400);
  expect(response.body?.details?.map((d) => d.path)).toEqual([path]);
  const owner = await stack.http.get<Record<string, unknown>>(`/api/v1/users/${cast.athlete}`, await as(cast.athlete));
  expect(owner.body?.privacy_zones).toEqual([ZONE]);
});

test('only the owner sets zones; [] clears them and the whole map is back for the coach', async () => {
  expect((await putProfile({ privacy_zones: [] }, cast.headCoach)).status).toBe(403);
  const cleared = await putProfile({ privacy_zones: [] });
  expect([cleared.status, cleared.body?.privacy_zones]).toEqual([200, []]);
  const coach = await stack.http.get<ActivityView>(`/api/v1/users/${cast.athlete}/activities/${activityId}`, await as(cast.assignedCoach));
  expect(coach.body?.map).toEqual(MAP);
  const restored = await putProfile({ privacy_zones: [ZONE, { lat: 0, lng: 0, radius_m: 100 }] });
  expect(restored.body?.privacy_zones).toHaveLength(2);
  expect((await putProfile({ privacy_zones: null })).body).not.toHaveProperty('privacy_zones');
});
