import type { Principal } from '../auth/principal';
import type { Activity } from '../activities/activity';
import {
  buildRelationshipFacts,
  decisionFor,
  resolveRelationship,
  resolveSettings,
  shapeActivity,
  shapeProfile,
  type Decision,
  type Relationship,
} from '../policy';
import type { RelationshipLoader } from '../relationships/relationship-loader';
import { toUser, type User } from '../repositories/user-repository';

export type AthleteContext = 'profile' | 'activity' | 'coach_view';

/**
 * The one way athlete data leaves the API: every response that carries an athlete's profile or
 * activities is shaped here by the engine's decision for this viewer (a field not allowed is absent).
 */
export class AthleteViews {
  constructor(private readonly relationships: RelationshipLoader) {}

  /**
   * The athlete's stored profile and this viewer's relationship to them, from one consistent read
   * of both profiles (RelationshipLoader). `user` is undefined when the athlete does not exist.
   */
  async athlete(principal: Principal | undefined, athleteId: string): Promise<{ user: User | undefined; relationship: Relationship }> {
    const { facts, profiles } = await this.relationships.loadWithProfiles(principal, [athleteId]);
    const item = profiles.get(athleteId);
    return {
      user: item ? toUser(item) : undefined,
      relationship: resolveRelationship(buildRelationshipFacts({ ...facts, athlete_id: athleteId })),
    };
  }

  /** The decision for this viewer's relationship to the athlete, in one context. */
  decisionFor(athlete: Pick<User, 'privacy'> | undefined, relationship: Relationship, context: AthleteContext): Decision {
    return decisionFor(resolveSettings(athlete?.privacy), relationship, context);
  }

  /** The profile as this viewer may see it; undefined when nothing may be shown. */
  profile(user: User, decision: Decision): Record<string, unknown> | undefined {
    return shapeProfile(user, decision);
  }

  activity(activity: Activity, decision: Decision): Record<string, unknown> | undefined {
    return shapeActivity(activity, decision);
  }

  /** Items the viewer may not see are left out of a list, never shown as placeholders. */
  activities(activities: readonly Activity[], decision: Decision): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const activity of activities) {
      const view = shapeActivity(activity, decision);
      if (view) out.push(view);
    }
    return out;
  }
}

/** The owner's own view (all fields and the 13 settings), shaped by the same engine. */
export function ownerProfile(user: User): Record<string, unknown> {
  return shapeProfile(user, decisionFor(resolveSettings(user.privacy), 'self', 'profile')) ?? {};
}

/** An activity as its owner sees it (every field). */
export function ownerActivity(activity: Activity): Record<string, unknown> {
  return shapeActivity(activity, decisionFor(resolveSettings(undefined), 'self', 'activity')) ?? {};
}
