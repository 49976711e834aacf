import { AccessRecorder } from '../../../lib/access/recorder';
import { pinClock } from '../../../lib/clock';
import { AccessLogRepository } from '../../../lib/repositories/access-log-repository';
import { countCalls } from '../../support/call-counter';
import { createTestTable, testDocumentClient } from '../../support/dynamodb';

/**
 * What recording costs (ADR 0019), counted with the call counter on DynamoDB Local: one container
 * serving 5 coaches × 4 athletes, each pair read every 6 s for 10 minutes (2,000 reads). Every
 * UpdateItem is one write unit (an entry is ≈ 200 bytes). The clock is pinned, so the figure does
 * not depend on the test's speed.
 */
const START = Date.parse('2026-06-10T08:00:00Z');
const VIEWERS = 5;
const ATHLETES = 4;
const ROUNDS = 100;
const STEP_MS = 6_000;

// One counter: the test client is shared, and its middleware stack takes a name once.
const client = testDocumentClient();
const calls = countCalls(client);

afterAll(() => pinClock(undefined));

test('2,000 coach reads in one warm container write about one UpdateItem per entry per minute, and the log counts every read flushed', async () => {
  const table = await createTestTable('access');
  calls.reset();
  const recorder = new AccessRecorder(client, table);
  for (let round = 0; round < ROUNDS; round++) {
    pinClock(new Date(START + round * STEP_MS));
    for (let v = 0; v < VIEWERS; v++) {
      for (let a = 0; a < ATHLETES; a++) {
        await recorder.record({ athleteId: `usr_athlete${a}`, viewerId: `usr_coach${v}`, relationship: 'coach', context: 'profile' });
      }
    }
  }
  const reads = ROUNDS * VIEWERS * ATHLETES;
  const writes = calls.byCommand.get('UpdateItemCommand') ?? 0;
  // Per entry: the first read, then one write per elapsed minute (reads 0, 10, 20, … 90 of 100).
  expect(writes).toBe(VIEWERS * ATHLETES * 10);
  expect(calls.total()).toBe(writes);
  const writeUnitsPerMillionReads = (writes / reads) * 1_000_000;
  expect(writeUnitsPerMillionReads).toBe(100_000);

  // Counted: every read up to the last write; the reads after it wait in memory (at most a minute's worth).
  const log = new AccessLogRepository(client, table);
  const page = await log.list('usr_athlete0', { limit: 100 });
  expect(page.entries).toHaveLength(VIEWERS);
  for (const entry of page.entries) {
    expect(entry).toMatchObject({ count: 91, first_at: '2026-06-10T08:00:00Z', last_at: '2026-06-10T08:09:00Z', day: '2026-06-10' });
  }
}, 600_000);

test('a public or self read writes nothing', async () => {
  const table = await createTestTable('access');
  calls.reset();
  const recorder = new AccessRecorder(client, table);
  await recorder.record({ athleteId: 'usr_a', viewerId: 'usr_b', relationship: 'public', context: 'profile' });
  await recorder.record({ athleteId: 'usr_a', viewerId: 'usr_a', relationship: 'self', context: 'profile' });
  expect(calls.total()).toBe(0);
});
