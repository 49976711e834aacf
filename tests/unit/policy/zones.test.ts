/**
 * Privacy zones (privacy.md §9): properties over generated routes and zone sets, checked with a
 * distance computed here (3D chord on the sphere), independent of the engine's haversine.
 */
import fc from 'fast-check';
import { decode, encode } from '@googlemaps/polyline-codec';
import {
  buildPreview,
  DEFAULT_PRIVACY,
  decisionFor,
  haversineMeters,
  maskMap,
  type PrivacySettings,
  type PrivacyZone,
  type Relationship,
  shapeActivities,
  shapeActivity,
  shapeProfile,
} from '@astral/lib/policy';

const RUNS = { numRuns: 300 };
const R = 6_371_008.8;
/** Float noise between two exact formulas is far below a millimetre at these distances. */
const TOLERANCE_M = 0.001;

type Point = [number, number];

/** Distance via the straight chord between the two points' unit vectors, then the arc it spans. */
function chordDistance(a: readonly [number, number], b: readonly [number, number]): number {
  const v = ([lat, lng]: readonly [number, number]) => {
    const [p, l] = [(lat * Math.PI) / 180, (lng * Math.PI) / 180];
    return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)] as const;
  };
  const [x1, y1, z1] = v(a);
  const [x2, y2, z2] = v(b);
  const chord = Math.hypot(x1 - x2, y1 - y2, z1 - z2);
  return 2 * R * Math.asin(Math.min(1, chord / 2));
}

const clearlyOutside = (p: Point, zones: readonly PrivacyZone[]) =>
  zones.every((z) => chordDistance(p, [z.lat, z.lng]) > z.radius_m + TOLERANCE_M);
const clearlyInside = (p: Point, zones: readonly PrivacyZone[]) =>
  zones.some((z) => chordDistance(p, [z.lat, z.lng]) < z.radius_m - TOLERANCE_M);

/** About 0.03° ≈ 3.3 km of latitude around the centre: routes and zones overlap often. */
const offset = fc.double({ min: -0.03, max: 0.03, noNaN: true });
const centreArb = fc.tuple(fc.double({ min: -70, max: 70, noNaN: true }), fc.double({ min: -170, max: 170, noNaN: true }));

const scenarioArb = centreArb.chain(([lat, lng]) => {
  const pointArb = fc.tuple(offset, offset).map(([a, b]): Point => [lat + a, lng + b]);
  return fc.record({
    route: fc.array(pointArb, { minLength: 0, maxLength: 60 }),
    zones: fc.array(
      fc
        .record({ at: pointArb, radius_m: fc.double({ min: 100, max: 2000, noNaN: true }) })
        .map(({ at, radius_m }): PrivacyZone => ({ lat: at[0], lng: at[1], radius_m })),
      { minLength: 0, maxLength: 5 },
    ),
  });
});

const NON_OWNERS: Relationship[] = ['coach', 'group', 'public'];
const OPEN: PrivacySettings = { ...DEFAULT_PRIVACY, share_activity_with_public: true };
const BASE = {
  activity_id: 'act_1',
  user_id: 'u_a',
  type: 'run',
  name: 'Loop',
  start_time: '2024-05-01T07:00:00Z',
  distance_m: 5000,
  moving_time_s: 1500,
};

function activityOf(route: Point[]) {
  const polyline = encode(route, 5);
  const points = decode(polyline, 5);
  const endpoints = points.length > 0 ? { start_latlng: points[0], end_latlng: points[points.length - 1] } : {};
  return { activity: { ...BASE, map: { polyline, ...endpoints } }, points };
}

/** `kept` is `all` with some items left out, order kept. */
function isSubsequence(kept: Point[], all: Point[]): boolean {
  let i = 0;
  for (const p of all) if (i < kept.length && kept[i]?.[0] === p[0] && kept[i]?.[1] === p[1]) i++;
  return i === kept.length;
}

describe('privacy zones: shaping for viewers other than the owner', () => {
  test('no point inside a zone survives; kept points are input points in order; every point clearly outside is kept', () => {
    let masked = 0;
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom(...NON_OWNERS),
        fc.constantFrom('activity', 'feed', 'coach_view' as const),
        (s, rel, ctx) => {
          const { activity, points } = activityOf(s.route);
          const view = shapeActivity(activity, decisionFor(OPEN, rel, ctx), s.zones);
          const map = view?.map as { polyline?: string; start_latlng?: Point; end_latlng?: Point } | undefined;
          const kept = map?.polyline === undefined ? [] : decode(map.polyline, 5);
          for (const p of kept) expect(clearlyInside(p, s.zones)).toBe(false);
          for (const z of s.zones) for (const p of kept) expect(chordDistance(p, [z.lat, z.lng])).toBeGreaterThan(z.radius_m - TOLERANCE_M);
          expect(isSubsequence(kept, points)).toBe(true);
          if (kept.length < points.length) masked++;
          expect(kept).toEqual(expect.arrayContaining(points.filter((p) => clearlyOutside(p, s.zones))));
          if (points.length > 0) expect(typeof map?.polyline).toBe('string');
          for (const key of ['start_latlng', 'end_latlng'] as const) {
            const point = activity.map[key];
            if (point === undefined) continue;
            if (clearlyInside(point, s.zones)) expect(map?.[key]).toBeUndefined();
            if (clearlyOutside(point, s.zones)) expect(map?.[key]).toEqual(point);
          }
        },
      ),
      RUNS,
    );
    // The generators put zones over routes often enough that the property is about removal, not a no-op.
    expect(masked).toBeGreaterThan(RUNS.numRuns / 4);
  });

  test('the owner sees their own map unchanged, whatever the zones', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom('activity', 'feed', 'coach_view' as const), (s, ctx) => {
        const { activity } = activityOf(s.route);
        const self = decisionFor(DEFAULT_PRIVACY, 'self', ctx);
        expect(shapeActivity(activity, self, s.zones)).toEqual(shapeActivity(activity, self, []));
        expect(shapeActivity(activity, self, s.zones)?.map).toEqual(activity.map);
        expect(shapeActivities([activity], self, s.zones)).toEqual(shapeActivities([activity], self, []));
      }),
      RUNS,
    );
  });

  test('summaries (no polyline): an endpoint inside is omitted, and a map left empty is dropped', () => {
    const zones: PrivacyZone[] = [{ lat: 52.52, lng: 13.405, radius_m: 200 }];
    const coach = decisionFor(DEFAULT_PRIVACY, 'coach', 'activity');
    const summary = (start: Point, end: Point) => ({ ...BASE, map: { start_latlng: start, end_latlng: end } });
    const far: Point = [52.53, 13.405];
    expect(shapeActivities([summary([52.52, 13.405], far)], coach, zones)[0]?.map).toEqual({ end_latlng: far });
    expect(shapeActivities([summary([52.52, 13.405], [52.521, 13.405])], coach, zones)[0]).toEqual(BASE);
  });

  test('the coach override opens the map but does not lift zones', () => {
    const closed = { ...DEFAULT_PRIVACY, share_activity_map: false, share_with_coach: true };
    const zones: PrivacyZone[] = [{ lat: 52.52, lng: 13.405, radius_m: 500 }];
    const { activity } = activityOf([
      [52.52, 13.405],
      [52.53, 13.405],
    ]);
    expect(shapeActivity(activity, decisionFor(closed, 'group', 'activity'), zones)?.map).toBeUndefined();
    const coach = shapeActivity(activity, decisionFor(closed, 'coach', 'coach_view'), zones);
    expect(coach?.map).toEqual({ polyline: encode([[52.53, 13.405]], 5), end_latlng: [52.53, 13.405] });
  });
});

describe('privacy zones: the rules at the edges', () => {
  test('a point exactly on the circle counts as inside', () => {
    const point: Point = [48.8566, 2.3522];
    const centre: Point = [48.8576, 2.3522];
    const zones = [{ lat: centre[0], lng: centre[1], radius_m: haversineMeters(point, centre) }];
    expect(maskMap({ start_latlng: point, end_latlng: centre }, zones)).toBeUndefined();
    expect(maskMap({ start_latlng: point }, [{ ...zones[0], radius_m: (zones[0]?.radius_m ?? 0) - 0.01 }] as PrivacyZone[])).toEqual({
      start_latlng: point,
    });
  });

  test('the haversine agrees with the chord distance and is in metres', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const [a, b] = [s.route[0], s.route[1]];
        if (a && b) expect(Math.abs(haversineMeters(a, b) - chordDistance(a, b))).toBeLessThan(TOLERANCE_M);
      }),
      RUNS,
    );
    // One degree of latitude on a sphere of radius 6,371,008.8 m.
    expect(haversineMeters([0, 0], [1, 0])).toBeCloseTo(111_195.08, 1);
  });

  test('a polyline that does not decode to coordinates is not shown when zones apply, and untouched without zones', () => {
    const coach = decisionFor(DEFAULT_PRIVACY, 'coach', 'activity');
    // Encoded at 6 digits, read at the format's 5: latitude 525, not a place.
    const activity = { ...BASE, map: { polyline: encode([[52.5, 13.4]], 6), end_latlng: [10, 10] } };
    expect(shapeActivity(activity, coach, [{ lat: 0, lng: 0, radius_m: 100 }])?.map).toEqual({ end_latlng: [10, 10] });
    expect(shapeActivity(activity, coach, [])?.map).toEqual(activity.map);
  });

  test('an untouched polyline is returned as stored; all points inside leaves the empty polyline', () => {
    const coach = decisionFor(DEFAULT_PRIVACY, 'coach', 'activity');
    const { activity } = activityOf([
      [1, 1],
      [1.0001, 1],
    ]);
    expect(shapeActivity(activity, coach, [{ lat: 40, lng: 40, radius_m: 2000 }])?.map).toEqual(activity.map);
    expect(shapeActivity(activity, coach, [{ lat: 1, lng: 1, radius_m: 2000 }])?.map).toEqual({ polyline: '' });
  });
});

describe('privacy zones: owner-only on the profile, applied in the preview', () => {
  const user = { user_id: 'u_a', display_name: 'Ada', privacy_zones: [{ lat: 1, lng: 1, radius_m: 500 }], bio: 'hi' };

  test.each<Relationship>(['coach', 'group', 'public', 'anonymous'])('%s never sees privacy_zones, whatever the settings', (rel) => {
    for (const ctx of ['profile', 'coach_view', 'roster'] as const) {
      expect(shapeProfile({ ...user, privacy: { ...OPEN } }, decisionFor(OPEN, rel, ctx)) ?? {}).not.toHaveProperty('privacy_zones');
    }
  });

  test('the owner sees their zones', () => {
    expect(shapeProfile(user, decisionFor(DEFAULT_PRIVACY, 'self', 'profile'))?.privacy_zones).toEqual(user.privacy_zones);
  });

  test('the preview shows the audience the masked map', () => {
    const { activity } = activityOf([
      [1, 1],
      [1.1, 1],
    ]);
    const preview = buildPreview({ as: 'coach', context: 'activity', user, activities: [activity] });
    expect(preview.view).toEqual({ activities: [{ ...BASE, map: { polyline: encode([[1.1, 1]], 5), end_latlng: [1.1, 1] } }], count: 1 });
  });
});
