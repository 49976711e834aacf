import { ownerProfile } from '@astral/lib/athletes';
import { ForbiddenError, httpHandler, ok, ValidationError, type InputOf } from '@astral/lib/http';
import { applyPrivacyPatch, resolveSettings } from '@astral/lib/policy';
import { documentClient, tableName, UserRepository, type ProfileChange } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());

/** The owner changes their profile and, partially, their privacy settings; the answer is the owner's view. */
export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may change their profile');
  const { privacy: privacyPatch, ...fields } = body;
  // Validate the patch before any write, so a bad key changes nothing.
  if (privacyPatch !== undefined) {
    const check = applyPrivacyPatch(resolveSettings(undefined), privacyPatch);
    if (!check.ok) throw new ValidationError('invalid privacy settings', check.issues);
  }
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) remove.push(field);
    else if (value !== undefined) set[field] = value;
  }
  const user = await users.updateProfile(
    params.user_id,
    (current): ProfileChange => {
      if (privacyPatch === undefined) return { set, remove };
      const merged = applyPrivacyPatch(resolveSettings(current.privacy), privacyPatch);
      if (!merged.ok) throw new ValidationError('invalid privacy settings', merged.issues);
      return { set, remove, privacy: merged.settings };
    },
    principal.user_id,
  );
  return ok(ownerProfile(user));
}

export const handler = httpHandler(contract, handle);
