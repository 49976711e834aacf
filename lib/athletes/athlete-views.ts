import { AccessRecorder } from '../access/recorder';
import type { Activity } from '../activities/activity';
import type { Principal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { decisionFor, type PolicyContext, resolveSettings, shapeActivity, shapeProfile, viewerOf } from '../policy';
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
  /** This container's memory of reads already in the access log (ADR 0019). */
  private readonly recorder: AccessRecorder;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.recorder = new AccessRecorder(client, table);
  }

  /**
   * Relates the viewer to these athletes from ONE consistent BatchGet (⌈(N + 1)/100⌉ calls) of the
   * athletes' profiles and the viewer's: every tie (membership with status, assignment and head
   * coach; coach role; head coach) is mirrored on the profile in the same transaction as the tie
   * itself (ADR 0006), so the relationship needs nothing else and a revocation applies on the next
   * request.
   *
   * The read is recorded in each athlete's access log (ADR 0019) when this viewer sees more than the
   * public view there (coach or group): the context is required, so no endpoint about one athlete can
   * relate without it. Recording never changes the result; its first write for a (viewer, athlete,
   * context, day) failing fails the read, since an unlogged coach read would break the log's promise.
   */
  async relate(principal: Principal | undefined, athleteIds: readonly string[], context: PolicyContext): Promise<RelatedAthletes> {
    const viewer = viewerOf(principal);
    const ids = viewer.kind === 'user' ? [...athleteIds, viewer.user_id] : athleteIds;
    const { profiles } = await readProfileBatch(this.client, this.table, ids);
    const related = RelatedAthletes.relate({ viewer, athleteIds, profiles });
    if (viewer.kind === 'user') {
      await Promise.all(
        athleteIds
          .filter((id) => related.profileOf(id))
          .map((athleteId) =>
            this.recorder.record({ athleteId, viewerId: viewer.user_id, relationship: related.relationshipOf(athleteId), context }),
          ),
      );
    }
    return related;
  }
}

/** The owner's own view (all fields and the 13 settings), shaped by the same engine. */
export function ownerProfile(user: User): Record<string, unknown> {
  return shapeProfile(user, decisionFor(resolveSettings(user.privacy), 'self', 'profile')) ?? {};
}

/** An activity as its owner sees it (every field; privacy zones bind only other viewers). */
export function ownerActivity(activity: Activity): Record<string, unknown> {
  return shapeActivity(activity, decisionFor(resolveSettings(undefined), 'self', 'activity'), []) ?? {};
}
