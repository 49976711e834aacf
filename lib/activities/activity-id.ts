import { randomBase62 } from '../ids';

/**
 * Activity ids sort by start time: 9 base-36 digits of the start (ms since 1970, fixed width, so
 * string order is time order until the year 5188) then 16 random base-62 characters (≈95 bits; with
 * the time prefix, unguessable). A reverse Query of the owner's activities (keys.activitiesOf) is then
 * newest first with no index.
 */
export function newActivityId(startTime: string): string {
  const prefix = Date.parse(startTime).toString(36).padStart(9, '0');
  return `act_${prefix}${randomBase62(16)}`;
}

export const ACTIVITY_ID_PATTERN = /^act_[0-9a-z]{9}[A-Za-z0-9]{16}$/;
