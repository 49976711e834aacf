import { nowIso } from '../clock';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PlanName } from '../config/plans';
import type { DocumentClient } from '../db/client';
import { ConflictError, ValidationError } from '../errors';
import { batchGetItems } from './batch-get';
import { transactNamed } from './transact';
import { withoutBookkeeping } from './item';
import { keys, normalizeOrganizationName } from './keys';
import type { Consent } from '../policy/consent';
import { inviteProfileTie, pendingInvitation, profileTieAttribute, refusedInvitation } from './profile-ties';

/** The head coach named at creation has no profile (api.md: 400). */
const headCoachMissing = () =>
  new ValidationError('head coach does not exist', [{ path: 'head_coach_user_id', message: 'no user with this id' }]);

export interface OrganizationCoach {
  readonly user_id: string;
  readonly name: string;
  readonly role: string;
  /** The coach's own answer to the role (privacy.md §8); mirrors the coach item and their profile tie. */
  readonly consent?: Consent;
}

export interface Organization {
  readonly org_id: string;
  readonly org_name: string;
  readonly description?: string;
  readonly head_coach_user_id: string;
  /** The head coach's own answer to the designation; mirrors the head-coach link and their profile tie. */
  readonly head_coach_consent?: Consent;
  /** Denormalised on the organization item so reading an organization is one GetItem. */
  readonly coaches: readonly OrganizationCoach[];
  readonly settings: Readonly<Record<string, unknown>>;
  readonly plan: PlanName;
  readonly created_at: string;
  readonly updated_at: string;
}

export type NewOrganization = Omit<Organization, 'created_at' | 'updated_at' | 'coaches' | 'head_coach_consent'>;

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'name_key', 'last_actor_id']);

export function toOrganization(item: Record<string, unknown>): Organization {
  return withoutBookkeeping<Organization>(item, ITEM_ATTRIBUTES);
}

export class OrganizationRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Eventually consistent is fine for display; authorization reads use `getConsistent`. */
  async get(orgId: string): Promise<Organization | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.organization(orgId) }));
    return out.Item ? toOrganization(out.Item) : undefined;
  }

  /** Several organizations for display (names), in ⌈N/100⌉ eventually consistent BatchGets. */
  async getMany(orgIds: readonly string[]): Promise<Map<string, Organization>> {
    const found = new Map<string, Organization>();
    const items = await batchGetItems(
      this.client,
      this.table,
      [...new Set(orgIds)].map((id) => keys.organization(id)),
      { consistent: false },
    );
    for (const item of items) {
      const org = toOrganization(item);
      found.set(org.org_id, org);
    }
    return found;
  }

  async getConsistent(orgId: string): Promise<Organization | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.organization(orgId), ConsistentRead: true }));
    return out.Item ? toOrganization(out.Item) : undefined;
  }

  /**
   * One transaction: the head coach must exist, the name must be free (a uniqueness item keyed by
   * the normalised name), and the organization and its head-coach link (so the head coach's ties
   * are found by user) are written — all or nothing, in one round trip.
   */
  async create(input: NewOrganization, actorId: string): Promise<Organization> {
    const now = nowIso();
    // The head coach manages at once (the organization's designation); their data waits for their answer.
    const org: Organization = { ...input, head_coach_consent: 'pending', coaches: [], created_at: now, updated_at: now };
    const invitation = pendingInvitation(actorId, now);
    const nameKey = normalizeOrganizationName(input.org_name);
    const failed = await transactNamed(this.client, [
      // The head coach must exist, and their profile gains the head tie (profile-ties.ts).
      {
        name: 'head-coach-profile',
        item: { Update: inviteProfileTie(this.table, input.head_coach_user_id, profileTieAttribute.head(input.org_id), invitation) },
      },
      {
        name: 'name',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.organizationName(nameKey), entity: 'organization_name', org_id: input.org_id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        name: 'head-coach-link',
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.headCoachLink(input.org_id, input.head_coach_user_id),
              entity: 'head_coach',
              org_id: input.org_id,
              user_id: input.head_coach_user_id,
              ...invitation,
            },
          },
        },
      },
      {
        name: 'organization',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.organization(input.org_id), entity: 'organization', name_key: nameKey, last_actor_id: actorId, ...org },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ]);
    if (failed.has('head-coach-profile'))
      throw await refusedInvitation(this.client, this.table, input.head_coach_user_id, 'head_coach_user_id', headCoachMissing());
    if (failed.has('name')) throw new ConflictError('organization name already exists', [{ path: 'name', message: 'already taken' }]);
    // Ids are random: a taken one means this very organization was written already (a retried request).
    if (failed.has('organization')) throw new ConflictError('organization already exists', [{ path: 'org_id', message: 'already exists' }]);
    return org;
  }
}
