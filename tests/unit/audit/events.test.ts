import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { auditEventsFromRecord, processStreamBatch, type AuditEvent } from '@astral/lib/audit';

let sequence = 100;
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  oldImage?: Record<string, unknown>,
  newImage?: Record<string, unknown>,
): DynamoDBRecord {
  const current = newImage ?? oldImage ?? {};
  sequence += 1;
  return {
    eventID: `evt${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: current.pk, sk: current.sk }) as never,
      ...(oldImage ? { OldImage: marshall(oldImage, { convertClassInstanceToMap: true }) as never } : {}),
      ...(newImage ? { NewImage: marshall(newImage, { convertClassInstanceToMap: true }) as never } : {}),
      SequenceNumber: String(sequence),
      ApproximateCreationDateTime: 1745402400,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const org = {
  pk: 'ORG#org_1',
  sk: 'ORG',
  entity: 'organization',
  org_id: 'org_1',
  org_name: 'Summit',
  settings: { a: 1 },
  last_actor_id: 'usr_head',
  updated_at: 'x',
};
const member = {
  pk: 'ORG#org_1',
  sk: 'MEMBER#usr_a',
  entity: 'member',
  org_id: 'org_1',
  user_id: 'usr_a',
  display_name: 'Alex',
  status: 'active',
  member_level: 'beginner',
  last_actor_id: 'usr_head',
};

describe('audit events from stream records', () => {
  it('organization created and updated, with before/after of the changed fields only', () => {
    expect(auditEventsFromRecord(record('INSERT', undefined, org))).toEqual([
      {
        event_id: expect.any(String),
        sequence: expect.stringMatching(/^0+\d+$/),
        event_type: 'organization_created',
        actor_id: 'usr_head',
        target_id: 'org_1',
        target_name: 'Summit',
        org_id: 'org_1',
        created_at: '2025-04-23T10:00:00Z',
      },
    ]);
    const [updated] = auditEventsFromRecord(record('MODIFY', org, { ...org, settings: { a: 2 }, updated_at: 'y', last_actor_id: 'adm_1' }));
    expect(updated).toMatchObject({
      event_type: 'organization_updated',
      actor_id: 'adm_1',
      changes: { settings: { before: { a: 1 }, after: { a: 2 } } },
    });
    expect(Object.keys(updated?.changes ?? {})).toEqual(['settings']);
  });

  it('a change of the coaches mirror on the organization is not an organization update (coach events say it)', () => {
    expect(
      auditEventsFromRecord(
        record('MODIFY', { ...org, coaches: [] }, { ...org, coaches: [{ user_id: 'usr_c', name: 'C', role: 'assistant_coach' }] }),
      ),
    ).toEqual([]);
  });

  it('member added, updated, removed (tombstone names the remover), re-added', () => {
    expect(auditEventsFromRecord(record('INSERT', undefined, member))[0]).toMatchObject({
      event_type: 'member_added',
      target_id: 'usr_a',
      target_name: 'Alex',
      actor_id: 'usr_head',
    });
    expect(auditEventsFromRecord(record('MODIFY', member, { ...member, member_level: 'advanced' }))[0]).toMatchObject({
      event_type: 'member_updated',
      changes: { member_level: { before: 'beginner', after: 'advanced' } },
    });
    const tombstone = { ...member, status: 'removed', removed_by: 'usr_coach', expires_at: 123 };
    expect(auditEventsFromRecord(record('MODIFY', member, tombstone))[0]).toMatchObject({
      event_type: 'member_removed',
      actor_id: 'usr_coach',
    });
    expect(auditEventsFromRecord(record('MODIFY', tombstone, { ...member, last_actor_id: 'usr_coach2' }))[0]).toMatchObject({
      event_type: 'member_added',
      actor_id: 'usr_coach2',
    });
  });

  it("the athlete's answers (privacy.md §8): accepted and declined, with the athlete as actor", () => {
    const pending = { ...member, consent: 'pending' };
    const accepted = { ...pending, consent: 'accepted', answered_at: 'now', last_actor_id: 'usr_a' };
    expect(auditEventsFromRecord(record('MODIFY', pending, accepted))).toEqual([
      expect.objectContaining({ event_type: 'member_accepted', actor_id: 'usr_a', target_id: 'usr_a' }),
    ]);
    const declined = {
      ...pending,
      consent: 'declined',
      status: 'removed',
      removed_by: 'usr_a',
      answered_at: 'now',
      last_actor_id: 'usr_a',
    };
    expect(auditEventsFromRecord(record('MODIFY', pending, declined))).toEqual([
      expect.objectContaining({ event_type: 'member_declined', actor_id: 'usr_a' }),
    ]);
    // A coach's later edit of an accepted member is an update, not a second answer.
    expect(
      auditEventsFromRecord(record('MODIFY', accepted, { ...accepted, member_level: 'advanced', last_actor_id: 'usr_head' }))[0],
    ).toMatchObject({ event_type: 'member_updated' });
    const coach = {
      pk: 'ORG#org_1',
      sk: 'COACH#usr_c',
      entity: 'coach',
      org_id: 'org_1',
      user_id: 'usr_c',
      name: 'Cy',
      role: 'assistant_coach',
      status: 'active',
      consent: 'pending',
      last_actor_id: 'usr_head',
    };
    expect(auditEventsFromRecord(record('MODIFY', coach, { ...coach, consent: 'accepted', last_actor_id: 'usr_c' }))).toEqual([
      expect.objectContaining({ event_type: 'coach_accepted', actor_id: 'usr_c', target_name: 'Cy' }),
    ]);
    expect(
      auditEventsFromRecord(record('MODIFY', coach, { ...coach, consent: 'declined', status: 'removed', removed_by: 'usr_c' })),
    ).toEqual([expect.objectContaining({ event_type: 'coach_declined', actor_id: 'usr_c' })]);
    const head = {
      pk: 'ORG#org_1',
      sk: 'HEADCOACH',
      entity: 'head_coach',
      org_id: 'org_1',
      user_id: 'usr_head',
      consent: 'pending',
      invited_by: 'app_1',
    };
    expect(auditEventsFromRecord(record('INSERT', undefined, head))).toEqual([]);
    expect(auditEventsFromRecord(record('MODIFY', head, { ...head, consent: 'accepted', last_actor_id: 'usr_head' }))).toEqual([
      expect.objectContaining({ event_type: 'coach_accepted', actor_id: 'usr_head', target_id: 'usr_head' }),
    ]);
    expect(auditEventsFromRecord(record('MODIFY', head, { ...head, consent: 'declined', last_actor_id: 'usr_head' }))).toEqual([
      expect.objectContaining({ event_type: 'coach_declined' }),
    ]);
    // The organization's mirror of the head coach's answer is no organization update.
    expect(
      auditEventsFromRecord(record('MODIFY', { ...org, head_coach_consent: 'pending' }, { ...org, head_coach_consent: 'accepted' })),
    ).toEqual([]);
  });

  it("a member without a coach nickname is named by the athlete's own name stored at join", () => {
    const { display_name: _nick, ...plain } = member;
    void _nick;
    expect(auditEventsFromRecord(record('INSERT', undefined, { ...plain, athlete_name: 'Alexandra' }))[0]).toMatchObject({
      event_type: 'member_added',
      target_name: 'Alexandra',
    });
    expect(auditEventsFromRecord(record('INSERT', undefined, { ...member, athlete_name: 'Alexandra' }))[0]).toMatchObject({
      target_name: 'Alex',
    });
  });

  it('a TTL expiry of a tombstone (a bare REMOVE) and unrelated entities write nothing', () => {
    expect(auditEventsFromRecord(record('REMOVE', { ...member, status: 'removed' }))).toEqual([]);
    expect(auditEventsFromRecord(record('INSERT', undefined, { pk: 'USER#u', sk: 'PROFILE', entity: 'user', user_id: 'u' }))).toEqual([]);
  });

  it('coach added and removed', () => {
    const coach = {
      pk: 'ORG#org_1',
      sk: 'COACH#usr_c',
      entity: 'coach',
      org_id: 'org_1',
      user_id: 'usr_c',
      name: 'Jane',
      role: 'assistant_coach',
      last_actor_id: 'usr_head',
    };
    expect(auditEventsFromRecord(record('INSERT', undefined, coach))[0]).toMatchObject({ event_type: 'coach_added', target_name: 'Jane' });
    expect(auditEventsFromRecord(record('MODIFY', coach, { ...coach, status: 'removed', removed_by: 'usr_head' }))[0]).toMatchObject({
      event_type: 'coach_removed',
    });
  });

  it('group created, membership changes as their own events, renamed, deleted', () => {
    const group = {
      pk: 'ORG#org_1',
      sk: 'GROUP#grp_1',
      entity: 'group',
      org_id: 'org_1',
      group_id: 'grp_1',
      name: 'Morning',
      member_ids: new Set(['usr_a']),
      last_actor_id: 'usr_head',
    };
    expect(auditEventsFromRecord(record('INSERT', undefined, group))[0]).toMatchObject({
      event_type: 'group_created',
      target_name: 'Morning',
    });
    const types = auditEventsFromRecord(record('MODIFY', group, { ...group, name: 'Dawn', member_ids: new Set(['usr_b']) })).map((e) => [
      e.event_type,
      e.target_id,
    ]);
    expect(types).toEqual([
      ['group_member_added', 'usr_b'],
      ['group_member_removed', 'usr_a'],
      ['group_updated', 'grp_1'],
    ]);
    expect(auditEventsFromRecord(record('MODIFY', group, { ...group, status: 'removed', removed_by: 'usr_head' }))[0]).toMatchObject({
      event_type: 'group_deleted',
    });
  });

  it('derives event ids from the stream record, so a redelivery maps to the same ids', () => {
    const r = record('INSERT', undefined, org);
    expect(auditEventsFromRecord(r)).toEqual(auditEventsFromRecord(r));
  });
});

describe('stream batch processing', () => {
  it('reports a failed record and holds back later records of the same item, while other items land in order', async () => {
    const a1 = record('INSERT', undefined, member);
    const poison = record('INSERT', undefined, { ...org, org_name: 'POISON' });
    const a2 = record('MODIFY', member, { ...member, member_level: 'advanced' });
    const poisonLater = record('MODIFY', org, { ...org, org_name: 'POISON', settings: { b: 1 } });
    const written: AuditEvent[] = [];
    const response = await processStreamBatch([a1, poison, a2, poisonLater], async (event) => {
      if (event.target_name === 'POISON') throw new Error('boom');
      written.push(event);
      return true;
    });
    expect(written.map((e) => e.event_type)).toEqual(['member_added', 'member_updated']);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: poison.dynamodb?.SequenceNumber },
      { itemIdentifier: poisonLater.dynamodb?.SequenceNumber },
    ]);
  });
});
