import {
  type Decision,
  decisionFor,
  isOnLeaderboard,
  type LeaderboardCandidate,
  type LeaderboardEntry,
  type LeaderboardMetric,
  type MembershipRecord,
  type OrganizationRecord,
  type PolicyContext,
  type PrivacyZone,
  type ProfileStatusFlags,
  type Relationship,
  type RosterMember,
  resolveRelationships,
  resolveSettings,
  shapeActivity,
  shapeLeaderboardEntry,
  shapeProfile,
  shapeRosterProfile,
  type Viewer,
} from '../policy';
import type { StoredProfile } from '../repositories/profile-batch';
import { factsFromProfiles, profilesFor } from '../relationships/profile-facts';

/** What a caller read to relate one viewer to some athletes (in its own batch or query). */
export interface RelateInput {
  readonly viewer: Viewer;
  /** The athletes asked about, in order; those without a profile are simply absent from the results. */
  readonly athleteIds: readonly string[];
  /** Profiles read by the caller, by user id: the athletes' and, when read, the viewer's. */
  readonly profiles: ReadonlyMap<string, StoredProfile>;
  /** The viewer's profile when it was read (their ties everywhere); defaults to `profiles`' entry. */
  readonly viewerProfile?: StoredProfile;
  /** Organizations read from their own items: authoritative for head coach and coaches. */
  readonly organizations?: readonly OrganizationRecord[];
  /** Membership items read directly (a roster page); the profiles' ties add the rest. */
  readonly memberships?: readonly MembershipRecord[];
}

/**
 * A viewer related to some athletes: the one path athlete data leaves the API by. Relate (the facts
 * from the profiles read, the pure engine's relationship), decide (the athlete's settings, in one
 * context) and shape (only what the decision allows) — for a profile, an activity list, the coach
 * view, a roster page, a feed page or a leaderboard alike.
 */
export class RelatedAthletes {
  private constructor(
    private readonly relationships: ReadonlyMap<string, Relationship>,
    private readonly profiles: ReadonlyMap<string, StoredProfile>,
  ) {}

  static relate(input: RelateInput): RelatedAthletes {
    const viewerProfile = input.viewerProfile ?? (input.viewer.kind === 'user' ? input.profiles.get(input.viewer.user_id) : undefined);
    const facts = factsFromProfiles({
      viewer: input.viewer,
      ...(input.organizations ? { organizations: input.organizations } : {}),
      ...(input.memberships ? { memberships: input.memberships } : {}),
      ...(viewerProfile ? { viewerProfile } : {}),
      athleteProfiles: profilesFor(input.athleteIds, input.profiles),
    });
    return new RelatedAthletes(resolveRelationships(facts, input.athleteIds), input.profiles);
  }

  /** The athlete's stored profile, when they have one. */
  profileOf(athleteId: string): StoredProfile | undefined {
    return this.profiles.get(athleteId);
  }

  relationshipOf(athleteId: string): Relationship {
    return this.relationships.get(athleteId) ?? 'public';
  }

  /** The engine's decision for this viewer on the athlete's data in one context (defaults when no profile). */
  decide(athleteId: string, context: PolicyContext): Decision {
    return decisionFor(resolveSettings(this.profiles.get(athleteId)?.user.privacy), this.relationshipOf(athleteId), context);
  }

  /** The athlete's profile as this viewer may see it; undefined when nothing may be shown. */
  profile(athleteId: string, decision: Decision): Record<string, unknown> | undefined {
    const user = this.profiles.get(athleteId)?.user;
    return user ? shapeProfile(user, decision) : undefined;
  }

  /**
   * The athlete's privacy zones as stored on the profile read for this request: applied at read time
   * (privacy.md §9), so a zone covers activities recorded before it, at no read beyond the profile's.
   */
  zonesOf(athleteId: string): readonly PrivacyZone[] {
    return this.profiles.get(athleteId)?.user.privacy_zones ?? [];
  }

  /**
   * One athlete's activities as this viewer may see them, the athlete's privacy zones applied to
   * every map; those the viewer may not see are left out of a list, never shown as placeholders.
   */
  activities(athleteId: string, activities: Iterable<object>, decision: Decision): Record<string, unknown>[] {
    const zones = this.zonesOf(athleteId);
    const out: Record<string, unknown>[] = [];
    for (const activity of activities) {
      const view = shapeActivity(activity, decision, zones);
      if (view) out.push(view);
    }
    return out;
  }

  /** One feed entry's activity, decided on its owner's settings in context `feed`, within their current zones. */
  feedActivity(ownerId: string, activity: object): Record<string, unknown> | undefined {
    return shapeActivity(activity, this.decide(ownerId, 'feed'), this.zonesOf(ownerId));
  }

  /** A roster row with `profile_status`, its athlete fields decided in context `roster`. */
  rosterRow(member: RosterMember, flags: ProfileStatusFlags): Record<string, unknown> {
    const user = this.profiles.get(member.user_id)?.user;
    const athlete = {
      ...(user?.profile_image_url !== undefined ? { profile_image_url: user.profile_image_url } : {}),
      ...(user?.gender !== undefined ? { gender: user.gender } : {}),
    };
    return shapeRosterProfile(member, flags, athlete, this.decide(member.user_id, 'roster'));
  }

  /** The leaderboard decision when the athlete is listed for this metric (filtered BEFORE ranking). */
  leaderboardDecision(athleteId: string, metric: LeaderboardMetric): Decision | undefined {
    const decision = this.decide(athleteId, 'leaderboard');
    return isOnLeaderboard(decision, metric) ? decision : undefined;
  }

  leaderboardEntry(candidate: LeaderboardCandidate, decision: Decision, metric: LeaderboardMetric): LeaderboardEntry | undefined {
    return shapeLeaderboardEntry(candidate, decision, metric);
  }
}
