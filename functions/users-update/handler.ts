import { ownerProfile } from '@astral/lib/athletes';
import { ForbiddenError, httpHandler, ok, ValidationError, type InputOf } from '@astral/lib/http';
import { parsePrivacyPatch } from '@astral/lib/policy';
import { documentClient, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());

/**
 * The privacy keys the patch names, by their stored names, with their new values. Only these are
 * written (one document path each), so concurrent patches of other keys never undo each other.
 */
function privacyUpdates(patch: Record<string, unknown>): Record<string, boolean> {
  const parsed = parsePrivacyPatch(patch);
  if (!parsed.ok) throw new ValidationError('invalid privacy settings', parsed.issues);
  return Object.fromEntries(parsed.updates);
}

/** The owner changes their profile and, partially, their privacy settings; the answer is the owner's view. */
export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may change their profile');
  const { privacy: privacyPatch, ...fields } = body;
  // Validate the patch before any write, so a bad key changes nothing.
  const privacy = privacyPatch === undefined ? undefined : privacyUpdates(privacyPatch);
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) remove.push(field);
    else if (value !== undefined) set[field] = value;
  }
  const user = await users.updateProfile(params.user_id, { set, remove, ...(privacy ? { privacy } : {}) }, principal.user_id);
  return ok(ownerProfile(user));
}

export const handler = httpHandler(contract, handle);
