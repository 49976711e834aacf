import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { batchGetItems } from './batch-get';
import { keys } from './keys';
import { startFrom } from './page-start';
import { ACCESS_ENTRY_ENTITY } from './table-design';

/** How long an entry is kept: a year after its day, then the table's TTL deletes it (ADR 0019). */
export const ACCESS_LOG_RETENTION_SECONDS = 366 * 24 * 60 * 60;

/** Reads of one athlete by one viewer in one context on one UTC day, as a recorder adds them. */
export interface AccessCount {
  readonly athleteId: string;
  readonly viewerId: string;
  /** A privacy context (lib/policy): profile, activity, coach_view. */
  readonly context: string;
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  /** The viewer's relationship at the latest of these reads (coach or group). */
  readonly relationship: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** An entry as the athlete reads it; the viewer's name is resolved at read time (absent when the viewer is gone). */
export interface AccessLogEntry {
  readonly viewer_id: string;
  readonly viewer_display_name?: string;
  readonly relationship: string;
  readonly context: string;
  readonly day: string;
  readonly count: number;
  readonly first_at: string;
  readonly last_at: string;
}

export interface AccessLogPage {
  readonly entries: readonly AccessLogEntry[];
  readonly lastKey?: Record<string, unknown>;
}

export class AccessLogRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Adds reads to their day's entry: one small UpdateItem, creating it on the first. `count` is
   * ADDed, so writers in several containers sum; `first_at` is kept once set. The viewer's name is NOT
   * stored (ADR 0019): an erased viewer's name must not live on in other athletes' partitions.
   */
  async add(reads: AccessCount): Promise<void> {
    const dayStart = Math.floor(Date.parse(`${reads.day}T00:00:00Z`) / 1000);
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.accessEntry(reads.athleteId, reads.day, reads.viewerId, reads.context),
        UpdateExpression:
          'ADD #count :n SET entity = :entity, viewer_id = :viewer, #context = :context, #day = :day, relationship = :rel, first_at = if_not_exists(first_at, :first), last_at = :last, expires_at = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#context': 'context', '#day': 'day' },
        ExpressionAttributeValues: {
          ':n': reads.count,
          ':entity': ACCESS_ENTRY_ENTITY,
          ':viewer': reads.viewerId,
          ':context': reads.context,
          ':day': reads.day,
          ':rel': reads.relationship,
          ':first': reads.firstAt,
          ':last': reads.lastAt,
          ':ttl': dayStart + ACCESS_LOG_RETENTION_SECONDS,
        },
      }),
    );
  }

  /** The start key that resumes `list` after this entry (a reader that stops part-way through a page). */
  resumeAfter(athleteId: string, entry: AccessLogEntry): Record<string, unknown> {
    return keys.accessEntry(athleteId, entry.day, entry.viewer_id, entry.context);
  }

  /**
   * A page of the athlete's log, newest day first: one Query, then one BatchGet (eventually
   * consistent: a name is display data, not an access decision) of the page's viewers' profiles.
   */
  async list(athleteId: string, page: { limit: number; startKey?: Record<string, unknown> }): Promise<AccessLogPage> {
    const { pk, skPrefix } = keys.accessLogOf(athleteId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ...startFrom(page.startKey, { equals: { pk }, prefixes: { sk: skPrefix }, attributes: ['pk', 'sk'] }),
      }),
    );
    const items = out.Items ?? [];
    const viewerIds = [...new Set(items.map((item) => String(item.viewer_id)))];
    const names = new Map<string, string>();
    const profiles = await batchGetItems(
      this.client,
      this.table,
      viewerIds.map((id) => keys.user(id)),
      { consistent: false },
    );
    for (const profile of profiles) {
      if (typeof profile.display_name === 'string') names.set(String(profile.user_id), profile.display_name);
    }
    const entries = items.map((item): AccessLogEntry => {
      const name = names.get(String(item.viewer_id));
      return {
        viewer_id: String(item.viewer_id),
        ...(name !== undefined ? { viewer_display_name: name } : {}),
        relationship: String(item.relationship),
        context: String(item.context),
        day: String(item.day),
        count: Number(item.count),
        first_at: String(item.first_at),
        last_at: String(item.last_at),
      };
    });
    return { entries, ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }
}
