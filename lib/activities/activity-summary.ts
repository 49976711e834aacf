import type { Activity } from './activity';

/**
 * What a list shows of an activity (the activities list, the feed, the coach view's recent
 * activities): every small field, without the two that make an activity big: `splits` (up to 500
 * rows) and the map's `polyline` (up to 100 KB). The route's start and end points stay: two pairs of
 * numbers. Lists read these instead of whole activities, so a page costs one read unit, not six; the
 * whole activity is one `GET …/activities/{activity_id}` away. Privacy shapes a summary exactly as an
 * activity (same engine decision, same field allow-list): it only has fewer fields to allow.
 */
export type ActivitySummary = Omit<Activity, 'splits' | 'map'> & {
  readonly map?: { readonly start_latlng?: readonly [number, number]; readonly end_latlng?: readonly [number, number] };
};

/** The scalar fields a summary copies as they are (docs/data-model.md: activity summary). */
export const ACTIVITY_SUMMARY_FIELDS = [
  'activity_id',
  'user_id',
  'type',
  'name',
  'start_time',
  'distance_m',
  'moving_time_s',
  'elapsed_time_s',
  'avg_pace_s_per_km',
  'avg_heart_rate',
  'max_heart_rate',
  'elevation_gain_m',
  'avg_cadence',
  'avg_power_w',
  'created_at',
] as const;

const MAP_ENDPOINTS = ['start_latlng', 'end_latlng'] as const;

function mapEndpoints(map: unknown): ActivitySummary['map'] {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return undefined;
  const from = map as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const key of MAP_ENDPOINTS) if (from[key] !== undefined) out[key] = from[key];
  // A map of a polyline alone has nothing small to show: no empty `map: {}` in a list.
  return Object.keys(out).length > 0 ? (out as ActivitySummary['map']) : undefined;
}

/**
 * The summary of an activity, or of any stored copy of one (an item or a stream image, whose
 * bookkeeping attributes are simply not copied). Pure: the repository writes it with the activity,
 * the feed projector copies it into feed entries, the backfill derives it from old activities.
 */
export function activitySummary(activity: Readonly<Record<string, unknown>> | Activity): ActivitySummary {
  const from = activity as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const key of ACTIVITY_SUMMARY_FIELDS) if (from[key] !== undefined) out[key] = from[key];
  const map = mapEndpoints(from.map);
  if (map) out.map = map;
  return out as ActivitySummary;
}
