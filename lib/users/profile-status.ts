import type { ProfileFields } from './profile-schema';

export interface ProfileStatusFlags {
  readonly has_strava: boolean;
  readonly has_garmin: boolean;
  readonly has_pace_zones: boolean;
  readonly has_hr_zones: boolean;
  readonly has_next_race: boolean;
  readonly has_training_plan: boolean;
  readonly has_mbti: boolean;
}

/** The roster's profile_status flags, derived from the stored profile (api.md "Athletes"). */
export function profileStatusFlags(profile: ProfileFields, today: string): ProfileStatusFlags {
  return {
    has_strava: profile.connections?.strava === true,
    has_garmin: profile.connections?.garmin === true,
    has_pace_zones: (profile.training_zones?.pace_zones?.length ?? 0) > 0,
    has_hr_zones: (profile.training_zones?.hr_zones?.length ?? 0) > 0,
    // A race goal dated today or later; ISO dates compare as strings.
    has_next_race: profile.race_goal !== undefined && profile.race_goal.race_date >= today,
    has_training_plan: profile.training_plan !== undefined,
    has_mbti: profile.mbti !== undefined,
  };
}
