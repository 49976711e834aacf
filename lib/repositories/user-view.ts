import type { User } from './user-repository';

/** What the owner sees of themselves: every stored field plus all privacy settings (defaults filled in). */
export function ownerView(user: User, privacy: Readonly<Record<string, boolean>>): Record<string, unknown> {
  const { privacy: _stored, ...profile } = user;
  void _stored;
  return { ...profile, privacy: { ...privacy } };
}
