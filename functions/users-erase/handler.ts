import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { documentClient, ErasureRepository, nowIso, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const erasures = new ErasureRepository(documentClient(), tableName());

const MESSAGES = {
  started: 'your account is being erased: your profile is gone now, everything else follows within minutes',
  running: 'your account is being erased',
  done: 'your account has been erased',
} as const;

/** Starts the caller's erasure (or reports it): the profile goes now, the rest in the job's passes. */
export async function handle({ principal }: InputOf<typeof contract>) {
  const found = await erasures.start(principal.user_id, nowIso());
  if (found === 'not_found') throw new NotFoundError('user not found');
  return ok({ message: MESSAGES[found] });
}

export const handler = httpHandler(contract, handle);
