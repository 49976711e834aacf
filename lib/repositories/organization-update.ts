import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import { isConditionalCheckFailure } from './dynamo-errors';
import { transactNamed } from './transact';
import { keys, legacyOrganizationNameKey, normalizeOrganizationName } from './keys';
import { toOrganization, type Organization } from './organization-repository';

/** The name marker or `name_key` was not the one expected: renamed concurrently (or stored under an earlier fold). */
class ConcurrentRenameError extends ConflictError {
  constructor() {
    super('the organization was renamed concurrently; retry', [{ path: 'name', message: 'concurrent rename' }]);
  }
}

/** A patch: an absent (or undefined) field is left as it is. */
export interface OrganizationChange {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** Keys merged into the stored settings; a `null` value removes that key (JSON merge patch). */
  readonly settings?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Partial organization update. Settings are merged key by key inside DynamoDB (`SET settings.#k`),
 * so two concurrent updates of different keys both land. A rename that changes the normalised name
 * is one transaction: delete the old name marker, put the new one `attribute_not_exists` (409 when
 * taken), update the organization conditioned on the name it had — all or nothing.
 */
export class OrganizationUpdater {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  async update(current: Organization, change: OrganizationChange, actorId: string): Promise<Organization> {
    const oldKey = normalizeOrganizationName(current.org_name);
    const newKey = change.name !== undefined ? normalizeOrganizationName(change.name) : oldKey;
    // In place, the name marker and `name_key` stay as they are: the folded name did not change.
    if (newKey === oldKey) return this.updateInPlace(current.org_id, organizationUpdate(change, undefined, actorId));
    const update = organizationUpdate(change, newKey, actorId);
    try {
      return await this.rename(current.org_id, oldKey, newKey, update);
    } catch (error) {
      // A name stored before invisible characters were folded away has its marker (and `name_key`)
      // under the earlier fold of the same name: move that one. The transaction's condition still
      // refuses a concurrent rename, whose key would be neither.
      const legacyKey = legacyOrganizationNameKey(current.org_name);
      if (!(error instanceof ConcurrentRenameError) || legacyKey === oldKey) throw error;
      return this.rename(current.org_id, legacyKey, newKey, update);
    }
  }

  /** One UpdateItem when the normalised name stays the same (no marker moves). */
  private async updateInPlace(orgId: string, update: ExpressionParts): Promise<Organization> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.organization(orgId),
          UpdateExpression: update.expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: update.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toOrganization(out.Attributes ?? {});
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new NotFoundError('organization not found');
      throw error;
    }
  }

  /** The name markers move with the organization, all or nothing; then the organization is read back. */
  private async rename(orgId: string, oldKey: string, newKey: string, update: ExpressionParts): Promise<Organization> {
    const failed = await transactNamed(this.client, [
      {
        name: 'old-name',
        item: {
          Delete: {
            TableName: this.table,
            Key: keys.organizationName(oldKey),
            ConditionExpression: 'org_id = :org_id',
            ExpressionAttributeValues: { ':org_id': orgId },
          },
        },
      },
      {
        name: 'new-name',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.organizationName(newKey), entity: 'organization_name', org_id: orgId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        name: 'organization',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.organization(orgId),
            UpdateExpression: update.expression,
            // The name we release must be the one the organization still has (a concurrent rename lost).
            ConditionExpression: '#name_key = :old_key',
            ExpressionAttributeNames: update.names,
            ExpressionAttributeValues: { ...update.values, ':old_key': oldKey },
          },
        },
      },
    ]);
    if (failed.has('new-name')) throw new ConflictError('organization name already exists', [{ path: 'name', message: 'already taken' }]);
    if (failed.has('old-name') || failed.has('organization')) throw new ConcurrentRenameError();
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.organization(orgId), ConsistentRead: true }));
    if (!out.Item) throw new NotFoundError('organization not found');
    return toOrganization(out.Item);
  }
}

interface ExpressionParts {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** `SET …, settings.#k = … REMOVE settings.#k` for the fields a change holds (`null` setting values remove). */
function organizationUpdate(change: OrganizationChange, nameKey: string | undefined, actorId: string): ExpressionParts {
  const names: Record<string, string> = { '#updated_at': 'updated_at', '#actor': 'last_actor_id' };
  const values: Record<string, unknown> = { ':now': nowIso(), ':actor': actorId };
  const sets = ['#updated_at = :now', '#actor = :actor'];
  const removes: string[] = [];
  if (change.description !== undefined) {
    names['#description'] = 'description';
    values[':description'] = change.description;
    sets.push('#description = :description');
  }
  // An empty settings patch changes nothing (and an unused `#settings` name is a ValidationException).
  if (change.settings && Object.keys(change.settings).length > 0) {
    names['#settings'] = 'settings';
    for (const [i, [key, value]] of Object.entries(change.settings).entries()) {
      names[`#s${i}`] = key;
      if (value === null) removes.push(`#settings.#s${i}`);
      else {
        values[`:s${i}`] = value;
        sets.push(`#settings.#s${i} = :s${i}`);
      }
    }
  }
  if (change.name !== undefined) {
    names['#org_name'] = 'org_name';
    values[':org_name'] = change.name;
    sets.push('#org_name = :org_name');
  }
  if (nameKey !== undefined) {
    names['#name_key'] = 'name_key';
    values[':name_key'] = nameKey;
    sets.push('#name_key = :name_key');
  }
  return { expression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`, names, values };
}
