/**
 * The owner's preview (GET /users/{user_id}/privacy/preview, spec/privacy.md §6): what one audience
 * would receive in one context, and the rules that decided it.
 */
import { resolveSettings } from './settings';
import { decide } from './engine';
import { RULES, type Reason } from './rules';
import {
  fieldsOf,
  shapeActivities,
  shapeLeaderboardEntry,
  shapeProfile,
  type LeaderboardMetric,
  type ProfileRecord,
  type View,
} from './redact';

export const PREVIEW_AUDIENCES = ['coach', 'group', 'public'] as const;
export type PreviewAudience = (typeof PREVIEW_AUDIENCES)[number];
export const PREVIEW_CONTEXTS = ['profile', 'activity', 'leaderboard'] as const;
export type PreviewContext = (typeof PREVIEW_CONTEXTS)[number];

export interface PreviewInput {
  readonly as: PreviewAudience;
  readonly context: PreviewContext;
  /** The owner's stored profile, `privacy` included (missing keys take their defaults). */
  readonly user: ProfileRecord;
  /** Sample activities for the activity context, e.g. the owner's latest page. */
  readonly activities?: readonly object[];
  /** Sample standing for the leaderboard context; defaults to rank 1, distance 0. */
  readonly leaderboard?: {
    readonly metric: LeaderboardMetric;
    readonly value: number;
    readonly rank?: number;
    readonly profile_image_url?: string | null;
  };
}

export interface PreviewReason extends Reason {
  readonly description: string;
}

export interface Preview {
  readonly as: PreviewAudience;
  readonly context: PreviewContext;
  /** What that audience would receive; `null` for a profile they could not see at all. */
  readonly view: View | null;
  readonly reasons: readonly PreviewReason[];
}

export function buildPreview(input: PreviewInput): Preview {
  const settings = resolveSettings(input.user.privacy);
  const { decision, reasons } = decide({ settings, relationship: input.as, context: input.context });
  let view: View | null;
  if (input.context === 'profile') {
    view = shapeProfile(input.user, decision) ?? null;
  } else if (input.context === 'activity') {
    const activities = shapeActivities(input.activities ?? [], decision, input.user.privacy_zones ?? []);
    view = { activities, count: activities.length };
  } else {
    const sample = input.leaderboard ?? { metric: 'distance' as const, value: 0 };
    const profileImage = sample.profile_image_url ?? fieldsOf(input.user).profile_image_url;
    const entry = shapeLeaderboardEntry(
      {
        rank: sample.rank ?? 1,
        user_id: input.user.user_id,
        display_name: input.user.display_name,
        value: sample.value,
        ...(typeof profileImage === 'string' ? { profile_image_url: profileImage } : {}),
      },
      decision,
      sample.metric,
    );
    const entries = entry ? [entry] : [];
    view = { metric: sample.metric, entries, count: entries.length };
  }
  return {
    as: input.as,
    context: input.context,
    view,
    reasons: reasons.map((r) => ({ ...r, description: RULES[r.rule] })),
  };
}
