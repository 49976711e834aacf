import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import { isConditionalCheckFailure } from './dynamo-errors';
import { transactNamed } from './transact';
import { keys, normalizeOrganizationName } from './keys';
import { toOrganization, type Organization } from './organization-repository';

export interface OrganizationChange {
  readonly name?: string;
  readonly description?: string;
  /** Keys merged into the stored settings; a `null` value removes that key (JSON merge patch). */
  readonly settings?: Readonly<Record<string, unknown>>;
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
    const names: Record<string, string> = { '#updated_at': 'updated_at', '#actor': 'last_actor_id' };
    const values: Record<string, unknown> = { ':now': nowIso(), ':actor': actorId };
    const sets = ['#updated_at = :now', '#actor = :actor'];
    const removes: string[] = [];
    if (change.description !== undefined) {
      names['#description'] = 'description';
      values[':description'] = change.description;
      sets.push('#description = :description');
    }
    if (change.settings) {
      names['#settings'] = 'settings';
      let i = 0;
      for (const [key, value] of Object.entries(change.settings)) {
        names[`#s${i}`] = key;
        if (value === null) removes.push(`#settings.#s${i}`);
        else {
          values[`:s${i}`] = value;
          sets.push(`#settings.#s${i} = :s${i}`);
        }
        i += 1;
      }
    }
    const oldKey = normalizeOrganizationName(current.org_name);
    const newKey = change.name !== undefined ? normalizeOrganizationName(change.name) : oldKey;
    if (change.name !== undefined) {
      names['#org_name'] = 'org_name';
      names['#name_key'] = 'name_key';
      values[':org_name'] = change.name;
      values[':name_key'] = newKey;
      sets.push('#org_name = :org_name', '#name_key = :name_key');
    }
    const expression = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
    const orgKey = keys.organization(current.org_id);

    if (newKey === oldKey) {
      try {
        const out = await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: orgKey,
            UpdateExpression: expression,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toOrganization(out.Attributes ?? {});
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new NotFoundError('organization not found');
        throw error;
      }
    }

    values[':old_key'] = oldKey;
    const failed = await transactNamed(this.client, [
      {
        name: 'old-name',
        item: {
          Delete: {
            TableName: this.table,
            Key: keys.organizationName(oldKey),
            ConditionExpression: 'org_id = :org_id',
            ExpressionAttributeValues: { ':org_id': current.org_id },
          },
        },
      },
      {
        name: 'new-name',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.organizationName(newKey), entity: 'organization_name', org_id: current.org_id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        name: 'organization',
        item: {
          Update: {
            TableName: this.table,
            Key: orgKey,
            UpdateExpression: expression,
            // The name we release must be the one the organization still has (a concurrent rename lost).
            ConditionExpression: '#name_key = :old_key',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      },
    ]);
    if (failed.has('new-name')) throw new ConflictError('organization name already exists', [{ path: 'name', message: 'already taken' }]);
    if (failed.has('old-name') || failed.has('organization'))
      throw new ConflictError('the organization was renamed concurrently; retry', [{ path: 'name', message: 'concurrent rename' }]);
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: orgKey, ConsistentRead: true }));
    if (!out.Item) throw new NotFoundError('organization not found');
    return toOrganization(out.Item);
  }
}
