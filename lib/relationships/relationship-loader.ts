import type { Principal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import type { FactsInput } from '../policy';
import { viewerOf } from '../policy';
import { readProfileBatch } from './profile-batch';
import { factsFromProfiles, profilesFor } from './profile-facts';

export interface LoadedAthletes {
  readonly facts: FactsInput;
  /** The athletes' stored profile items (settings, profile fields, ties), by user id; missing ones are absent. */
  readonly profiles: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * Loads what the privacy engine needs to relate one viewer to some athletes in ONE consistent
 * BatchGet (⌈(N + 1)/100⌉ calls for N athletes): the athletes' profiles and the viewer's. Every tie
 * (membership with status, assignment and head coach; coach role; head coach) is mirrored on the
 * profile in the same transaction as the tie itself (lib/repositories/profile-ties.ts), so the
 * relationship needs nothing else, and a revocation applies on the next request.
 */
export class RelationshipLoader {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  async loadWithProfiles(principal: Principal | undefined, athleteIds: readonly string[]): Promise<LoadedAthletes> {
    const viewer = viewerOf(principal);
    const { profiles } = await readProfileBatch(
      this.client,
      this.table,
      viewer.kind === 'user' ? [...athleteIds, viewer.user_id] : athleteIds,
    );
    const viewerProfile = viewer.kind === 'user' ? profiles.get(viewer.user_id) : undefined;
    const facts = factsFromProfiles({
      viewer,
      ...(viewerProfile ? { viewerProfile } : {}),
      athleteProfiles: profilesFor(athleteIds, profiles),
    });
    return { facts, profiles };
  }

  async load(principal: Principal | undefined, athleteIds: readonly string[]): Promise<FactsInput> {
    return (await this.loadWithProfiles(principal, athleteIds)).facts;
  }
}
