import {
  ERASURE_STEPS,
  USER_TARGET_EVENT_TYPES,
  type ErasureCursor,
  type ErasureJob,
  type ErasureRepository,
  type ErasureStep,
} from '../repositories/erasure-repository';

/** How much one pass may do before it hands over to the next (its own cursor write is the trigger). */
export interface PassBudget {
  /** Items written or deleted, counted after each unit (a tie's organization, a page). */
  readonly maxWrites: number;
  /** True once the invocation should stop and save its cursor (Lambda's remaining time). */
  readonly outOfTime: () => boolean;
}

/** Where a step stopped (`cursor`, absent when it finished), and the organizations it found. */
interface StepOutcome {
  readonly cursor?: ErasureCursor;
  readonly orgs?: readonly string[];
}

interface StepContext {
  readonly repo: ErasureRepository;
  readonly job: ErasureJob;
  readonly now: string;
  /** Adds writes; true while the pass may go on. */
  readonly spend: (writes: number) => boolean;
}

async function endTies({ repo, job, now, spend }: StepContext, cursor: ErasureCursor): Promise<StepOutcome> {
  // The by-user index also knows organizations whose tie ended before (tombstones): their feeds may
  // still hold the user's activities and their audit logs the user's name.
  const orgs = cursor.org === undefined ? [...new Set([...job.orgs, ...(await repo.orgsOfTies(job.user_id))])] : job.orgs;
  for (let index = cursor.org ?? 0; index < orgs.length; index++) {
    const orgId = orgs[index] as string;
    if (!spend(await repo.endTies(orgId, job.user_id, now)) && index + 1 < orgs.length) return { cursor: { org: index + 1 }, orgs };
  }
  return { orgs };
}

async function scrubAudit({ repo, job, spend }: StepContext, cursor: ErasureCursor): Promise<StepOutcome> {
  for (let org = cursor.org ?? 0; org < job.orgs.length; org++) {
    const first = org === (cursor.org ?? 0);
    for (let type = first ? (cursor.type ?? 0) : 0; type < USER_TARGET_EVENT_TYPES.length; type++) {
      let key = first && type === (cursor.type ?? 0) ? cursor.key : undefined;
      do {
        const page = await repo.scrubAuditPage(job.orgs[org] as string, USER_TARGET_EVENT_TYPES[type] as string, job.user_id, key);
        key = page.next;
        if (!spend(page.writes)) return { cursor: key ? { org, type, key } : { org, type: type + 1 } };
      } while (key);
    }
  }
  return {};
}

function pages(read: (key?: Record<string, unknown>) => Promise<{ writes: number; next?: Record<string, unknown> | undefined }>) {
  return async ({ spend }: StepContext, cursor: ErasureCursor): Promise<StepOutcome> => {
    let key = cursor.key;
    do {
      const page = await read(key);
      key = page.next;
      const more = spend(page.writes);
      if (key && !more) return { cursor: { key } };
    } while (key);
    return {};
  };
}

const erasePartition = (context: StepContext, cursor: ErasureCursor): Promise<StepOutcome> =>
  pages((key) => context.repo.deletePartitionPage(context.job.user_id, context.job.orgs, key))(context, cursor);

const STEPS: Record<ErasureStep, (context: StepContext, cursor: ErasureCursor) => Promise<StepOutcome>> = {
  ties: endTies,
  audit: scrubAudit,
  partition: erasePartition,
  idempotency: (context, cursor) => pages((key) => context.repo.deleteIdempotencyPage(context.job.user_id, key))(context, cursor),
  // Once more, last: a board entry a lagging projector put back while the partition was being erased.
  sweep: erasePartition,
};

/**
 * One bounded pass of an erasure job (ADR 0020): it runs the job's steps in order from its cursor
 * until the budget is spent, then saves where it stopped, conditioned on the pass it read. That write
 * is the next pass's trigger; the last pass marks the job done. Returns what became of the job and
 * how many items the pass wrote or deleted.
 */
export async function runErasurePass(
  repo: ErasureRepository,
  job: ErasureJob,
  now: string,
  budget: PassBudget,
): Promise<{ readonly outcome: 'continued' | 'done' | 'stale'; readonly written: number }> {
  let written = 0;
  const spend = (writes: number): boolean => {
    written += writes;
    return written < budget.maxWrites && !budget.outOfTime();
  };
  let current = job;
  for (let index = ERASURE_STEPS.indexOf(job.step); index < ERASURE_STEPS.length; index++) {
    const step = ERASURE_STEPS[index] as ErasureStep;
    const cursor = current.step === step ? (current.cursor ?? {}) : {};
    const outcome = await STEPS[step]({ repo, job: current, now, spend }, cursor);
    const orgs = outcome.orgs ?? current.orgs;
    if (outcome.cursor) {
      const moved = await repo.advance(job, { step, cursor: outcome.cursor, orgs }, written);
      return { outcome: moved ? 'continued' : 'stale', written };
    }
    current = { ...current, step, orgs, cursor: {} };
  }
  const finished = await repo.advance(job, { state: 'done', step: 'sweep', orgs: current.orgs, completed_at: now }, written);
  return { outcome: finished ? 'done' : 'stale', written };
}
