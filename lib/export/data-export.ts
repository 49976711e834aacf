import { AccessLogRepository } from '../access';
import { ownerActivity, ownerProfile } from '../athletes/athlete-views';
import type { DocumentClient } from '../db/client';
import { InvalidPageTokenError } from '../errors';
import { Memberships } from '../organizations/memberships';
import { ActivityRepository } from '../repositories/activity-repository';
import { readProfileBatch } from '../repositories/profile-batch';
import { profileTiesOf, type ProfileTies } from '../repositories/profile-ties';

/** A page's JSON stays within this many bytes (issue 16: ≤ 1 MB); room is kept for `next_token`. */
export const EXPORT_PAGE_BYTES = 1_000_000;
const TOKEN_ROOM = 4_096;
/** Items read per Query while filling a page. */
const READ_BATCH = 100;

const SECTIONS = ['profile', 'activities', 'memberships', 'access_log'] as const;
type Section = (typeof SECTIONS)[number];

/** Where an export resumes: a section, and within a paged section the key after the last item sent. */
export interface ExportCursor {
  readonly section: Section;
  readonly startKey?: Record<string, unknown>;
}

/**
 * A page as the JSON of each of its parts: every item is serialized once, to measure it against the
 * page's budget, and that text is the response (exportPageText), not serialized again.
 */
export interface ExportPage {
  readonly body: {
    profile?: string;
    activities: string[];
    memberships?: string;
    access_log?: string[];
  };
  readonly next?: ExportCursor;
}

/** The page's JSON document: its sections, then `next_token` when there is one. */
export function exportPageText(page: ExportPage, nextToken?: string): string {
  const { profile, activities, memberships, access_log: accessLog } = page.body;
  const members = [
    ...(profile === undefined ? [] : [`"profile":${profile}`]),
    `"activities":[${activities.join(',')}]`,
    ...(memberships === undefined ? [] : [`"memberships":${memberships}`]),
    ...(accessLog === undefined ? [] : [`"access_log":[${accessLog.join(',')}]`]),
    ...(nextToken === undefined ? [] : [`"next_token":${JSON.stringify(nextToken)}`]),
  ];
  return `{${members.join(',')}}`;
}

/**
 * A cursor as a page token holds it (a flat record of strings, lib/http/page-token.ts): the section,
 * and the start key's `pk`/`sk` within it; anything else is the 400 naming `next_token`.
 */
export function cursorToRecord(cursor: ExportCursor): Record<string, unknown> {
  return { section: cursor.section, ...(cursor.startKey ? { pk: cursor.startKey.pk, sk: cursor.startKey.sk } : {}) };
}

export function cursorFromRecord(record: Record<string, unknown> | undefined): ExportCursor {
  if (record === undefined) return { section: 'profile' };
  const section = SECTIONS.find((s) => s === record.section);
  const { pk, sk } = record;
  const names = Object.keys(record).length;
  if (!section) throw new InvalidPageTokenError();
  if (names === 1) return { section };
  // The repositories check the key against the range their Query reads (lib/repositories/page-start.ts).
  if (names !== 3 || typeof pk !== 'string' || typeof sk !== 'string') throw new InvalidPageTokenError();
  return { section, startKey: { pk, sk } };
}

/**
 * Everything held about a user, in pages of at most EXPORT_PAGE_BYTES of JSON: the profile as its owner
 * sees it (privacy settings and every owner-only field), every activity in full (oldest first), the
 * memberships with consent (as GET /users/me/memberships) and the access log. A page adds items
 * until the next would pass the budget (measured on the serialized item), then names where to resume.
 * Only Queries and Gets on the user's own keys; no Scan.
 */
export class DataExport {
  private readonly activities: ActivityRepository;
  private readonly memberships: Memberships;
  private readonly accessLog: AccessLogRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.activities = new ActivityRepository(client, table);
    this.memberships = new Memberships(client, table);
    this.accessLog = new AccessLogRepository(client, table);
  }

  async page(userId: string, cursor: ExportCursor): Promise<ExportPage> {
    const body: ExportPage['body'] = { activities: [] };
    let used = Buffer.byteLength(exportPageText({ body }), 'utf8') + TOKEN_ROOM;
    /** The value's JSON when it fits in what is left of the page, else undefined. */
    const fits = (value: unknown): string | undefined => {
      const text = JSON.stringify(value);
      // +1 for the comma between items; keys of a new section are counted by their value's few bytes of slack.
      const size = Buffer.byteLength(text, 'utf8') + 32;
      if (used + size > EXPORT_PAGE_BYTES) return undefined;
      used += size;
      return text;
    };
    let section = cursor.section;
    let startKey = cursor.startKey;

    // The profile holds the ties the memberships section lists: read once (strongly) when both are on this page.
    let ties: ProfileTies | undefined;
    if (section === 'profile') {
      const stored = (await readProfileBatch(this.client, this.table, [userId])).profiles.get(userId);
      ties = stored?.ties ?? profileTiesOf(undefined);
      const profile = stored ? fits(ownerProfile(stored.user)) : undefined;
      if (profile !== undefined) body.profile = profile;
      section = 'activities';
      startKey = undefined;
    }
    if (section === 'activities') {
      for (;;) {
        const read = await this.activities.listFull(userId, { limit: READ_BATCH, ...(startKey ? { startKey } : {}) });
        for (const activity of read.activities) {
          const view = fits(ownerActivity(activity));
          // The next page starts with the activity that did not fit: it resumes after the last one sent.
          if (view === undefined) return { body, next: { section, ...(startKey ? { startKey } : {}) } };
          body.activities.push(view);
          startKey = this.activities.resumeAfter(userId, activity.activity_id);
        }
        if (!read.lastKey) break;
      }
      section = 'memberships';
      startKey = undefined;
    }
    if (section === 'memberships') {
      const memberships = fits(ties ? await this.memberships.listOf(ties) : await this.memberships.list(userId));
      if (memberships === undefined) return { body, next: { section } };
      body.memberships = memberships;
      section = 'access_log';
      startKey = undefined;
    }
    body.access_log = [];
    for (;;) {
      const read = await this.accessLog.list(userId, { limit: READ_BATCH, ...(startKey ? { startKey } : {}) });
      for (const entry of read.entries) {
        const text = fits(entry);
        if (text === undefined) return { body, next: { section: 'access_log', ...(startKey ? { startKey } : {}) } };
        body.access_log.push(text);
        startKey = this.accessLog.resumeAfter(userId, entry);
      }
      if (!read.lastKey) return { body };
    }
  }
}
