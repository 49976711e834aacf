import type { ActivityInput } from './activity-schema';

export type Activity = ActivityInput & {
  readonly activity_id: string;
  readonly user_id: string;
  readonly created_at: string;
};

/** Pace is derived when the client did not send it and the distance allows it. */
export function withDerivedPace(input: ActivityInput): ActivityInput {
  if (input.avg_pace_s_per_km !== undefined || input.distance_m <= 0) return input;
  return { ...input, avg_pace_s_per_km: Math.round((input.moving_time_s / (input.distance_m / 1000)) * 10) / 10 };
}
