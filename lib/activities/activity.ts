import { MAX_PACE_S_PER_KM } from './activity-bounds';
import type { ActivityInput } from './activity-schema';

export type Activity = ActivityInput & {
  readonly activity_id: string;
  readonly user_id: string;
  readonly created_at: string;
};

/**
 * Pace is derived when the client did not send it and the distance allows it. A pace beyond the
 * field's range (a few metres in hours) is left out rather than stored: a derived value never leaves
 * the range a client's own value must keep to (0..MAX_PACE_S_PER_KM).
 */
export function withDerivedPace(input: ActivityInput): ActivityInput {
  if (input.avg_pace_s_per_km !== undefined || input.distance_m <= 0) return input;
  const pace = Math.round((input.moving_time_s / (input.distance_m / 1000)) * 10) / 10;
  return pace <= MAX_PACE_S_PER_KM ? { ...input, avg_pace_s_per_km: pace } : input;
}
