import type { Activity } from '../activities/activity';
import type { Principal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { decisionFor, resolveSettings, shapeActivity, shapeProfile, viewerOf } from '../policy';
import { readProfileBatch } from '../repositories/profile-batch';
import type { User } from '../repositories/user-repository';
import { RelatedAthletes } from './related-athletes';

/**
 * The one way athlete data leaves the API: every response that carries an athlete's profile or
 * activities is shaped by the engine's decision for this viewer (a field not allowed is absent).
 * Endpoints about one athlete relate here; the roster, feed and leaderboard readers read their own
 * batch and relate through the same `RelatedAthletes`.
 */
export class AthleteViews {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Relates the viewer to these athletes from ONE consistent BatchGet (⌈(N + 1)/100⌉ calls) of the
   * athletes' profiles and the viewer's: every tie (membership with status, assignment and head
   * coach; coach role; head coach) is mirrored on the profile in the same transaction as the tie
   * itself (ADR 0006), so the relationship needs nothing else and a revocation applies on the next
   * request.
   */
  async relate(principal: Principal | undefined, athleteIds: readonly string[]): Promise<RelatedAthletes> {
    const viewer = viewerOf(principal);
    const ids = viewer.kind === 'user' ? [...athleteIds, viewer.user_id] : athleteIds;
    const { profiles } = await readProfileBatch(this.client, this.table, ids);
    return RelatedAthletes.relate({ viewer, athleteIds, profiles });
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
