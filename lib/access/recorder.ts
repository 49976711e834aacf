import { now, nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { log } from '../logging';
import type { PolicyContext, Relationship } from '../policy';
import { AccessLogRepository } from '../repositories/access-log-repository';

/** Reads that show more than the public view (privacy.md §4): what the access log counts. */
const COUNTED: ReadonlySet<Relationship> = new Set<Relationship>(['coach', 'group']);

/** A container writes an entry's further reads at most this often (ADR 0019: the count's precision). */
export const ACCESS_FLUSH_INTERVAL_MS = 60_000;
/** Entries a container remembers; past this the oldest is forgotten (its unwritten reads with it). */
export const ACCESS_MEMORY_LIMIT = 5_000;

interface Remembered {
  /** Reads since the last write, not yet in the table. */
  pending: number;
  pendingFirstAt: string;
  pendingLastAt: string;
  relationship: Relationship;
  writtenAtMs: number;
}

/**
 * Records reads of athletes for their access log (ADR 0019): per (viewer, athlete, context, UTC day)
 * one small UpdateItem, the first read of each written BEFORE the response (the fact of access is
 * never lost: a failure fails the read), later reads in this container counted in memory and written
 * with the next read once ACCESS_FLUSH_INTERVAL_MS has passed. So a read usually writes nothing, and
 * `count` is exact except for reads a container saw in its last interval before it was recycled.
 * One instance per container (the handler's module scope).
 */
export class AccessRecorder {
  private readonly entries = new Map<string, Remembered>();
  private readonly log: AccessLogRepository;

  constructor(client: DocumentClient, table: string) {
    this.log = new AccessLogRepository(client, table);
  }

  /** Whether a read by this relationship is counted at all: only a non-owner shown more than the public view. */
  static counts(relationship: Relationship): boolean {
    return COUNTED.has(relationship);
  }

  async record(read: { athleteId: string; viewerId: string; relationship: Relationship; context: PolicyContext }): Promise<void> {
    if (!AccessRecorder.counts(read.relationship) || read.viewerId === read.athleteId) return;
    const at = now();
    const atIso = nowIso(at);
    const day = atIso.slice(0, 10);
    const memoryKey = `${day}#${read.athleteId}#${read.viewerId}#${read.context}`;
    const base = { athleteId: read.athleteId, viewerId: read.viewerId, context: read.context, day };
    const known = this.entries.get(memoryKey);
    if (!known) {
      // The day's first read in this container: written before the response; an error fails the read.
      await this.log.add({ ...base, relationship: read.relationship, count: 1, firstAt: atIso, lastAt: atIso });
      this.remember(memoryKey, {
        pending: 0,
        pendingFirstAt: atIso,
        pendingLastAt: atIso,
        relationship: read.relationship,
        writtenAtMs: at.getTime(),
      });
      return;
    }
    if (known.pending === 0) known.pendingFirstAt = atIso;
    known.pending += 1;
    known.pendingLastAt = atIso;
    known.relationship = read.relationship;
    if (at.getTime() - known.writtenAtMs < ACCESS_FLUSH_INTERVAL_MS) return;
    const count = known.pending;
    try {
      await this.log.add({ ...base, relationship: known.relationship, count, firstAt: known.pendingFirstAt, lastAt: known.pendingLastAt });
      known.pending -= count;
      known.writtenAtMs = at.getTime();
    } catch (error) {
      // The fact of access is already in the table: only the count lags, and the reads stay pending for the next write.
      log('warn', 'access log count not written', { error: error instanceof Error ? error.name : 'unknown', pending: count });
    }
  }

  /** A bounded memory: a Map keeps insertion order, so the first key is the oldest. */
  private remember(key: string, entry: Remembered): void {
    if (this.entries.size >= ACCESS_MEMORY_LIMIT) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }
}
