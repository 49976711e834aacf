/**
 * Privacy zones (spec/privacy.md §9, docs/adr/0018-privacy-zones.md): circles an athlete keeps on
 * their profile, inside which no viewer but the owner sees a point of their routes. Pure: applied at
 * read time by shaping (redact.ts), from the athlete's current profile, so a zone added today covers
 * every activity recorded before it. The polyline codec is a package of pure functions (no I/O), the
 * one import lib/policy makes outside itself (.dependency-cruiser.cjs).
 */
import * as polylineCodec from '@googlemaps/polyline-codec';

type Codec = Pick<typeof polylineCodec, 'decode' | 'encode'>;

/**
 * The package ships a UMD `main` and an ESM `module`: bundlers (esbuild for the layer, jest) see its
 * named exports, Node's own ESM loader (tsx: `npm start`, the tools) sees the UMD build as one CommonJS
 * module, its exports under `default`. Either way the same two functions.
 */
function codecOf(namespace: object): Codec {
  const named = namespace as Partial<Codec> & { readonly default?: Partial<Codec> };
  const found = typeof named.decode === 'function' ? named : named.default;
  if (typeof found?.decode !== 'function' || typeof found.encode !== 'function') {
    throw new Error('@googlemaps/polyline-codec exports no decode/encode');
  }
  return { decode: found.decode, encode: found.encode };
}

const { decode, encode } = codecOf(polylineCodec);

export interface PrivacyZone {
  readonly lat: number;
  readonly lng: number;
  readonly radius_m: number;
}

export type LatLng = readonly [lat: number, lng: number];

/** The mean Earth radius (IUGG), in metres: the haversine's sphere. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Encoded polylines carry 5 decimal digits (≈ 1.1 m at the equator): the format's default. */
export const POLYLINE_PRECISION = 5;

const RAD = Math.PI / 180;

/** Great-circle distance in metres between two points in degrees (haversine). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = (b[0] - a[0]) * RAD;
  const dLng = (b[1] - a[1]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * RAD) * Math.cos(b[0] * RAD) * Math.sin(dLng / 2) ** 2;
  // Rounding can push h a hair past 1 for antipodes; asin of more than 1 is NaN.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
}

/** Inside when the distance to a zone's centre is at most its radius: a point on the circle is inside. */
export function insideAnyZone(point: LatLng, zones: readonly PrivacyZone[]): boolean {
  for (const zone of zones) if (haversineMeters(point, [zone.lat, zone.lng]) <= zone.radius_m) return true;
  return false;
}

function isLatLng(value: unknown): value is LatLng {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [lat, lng] = value as unknown[];
  return typeof lat === 'number' && typeof lng === 'number' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
}

/**
 * The encoded polyline of the points outside every zone, in order; `undefined` when the string does not
 * decode to coordinates (a point we cannot place could be inside a zone, so none is shown).
 */
export function maskPolyline(polyline: string, zones: readonly PrivacyZone[]): string | undefined {
  const points = decode(polyline, POLYLINE_PRECISION);
  const kept: LatLng[] = [];
  for (const point of points) {
    if (!isLatLng(point)) return undefined;
    if (!insideAnyZone(point, zones)) kept.push(point);
  }
  return kept.length === points.length ? polyline : encode(kept as [number, number][], POLYLINE_PRECISION);
}

/**
 * A shaped `map` (polyline, start and end points) with what falls inside a zone removed: the
 * polyline's inside points, and `start_latlng` / `end_latlng` when inside. An endpoint that is not a
 * coordinate pair is left out as well (fail closed). `undefined` when nothing is left to show.
 */
export function maskMap(map: Readonly<Record<string, unknown>>, zones: readonly PrivacyZone[]): Record<string, unknown> | undefined {
  if (zones.length === 0) return { ...map };
  const out: Record<string, unknown> = {};
  if (typeof map.polyline === 'string') {
    const polyline = maskPolyline(map.polyline, zones);
    if (polyline !== undefined) out.polyline = polyline;
  }
  for (const key of ['start_latlng', 'end_latlng'] as const) {
    const point = map[key];
    if (isLatLng(point) && !insideAnyZone(point, zones)) out[key] = point;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
