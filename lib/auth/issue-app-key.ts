import { newId } from '../ids';
import type { AppKeyRepository } from '../repositories/app-key-repository';
import { generateAppKey, hashAppKey } from './app-key';

export interface IssuedAppKey {
  /** The clear key: shown once to whoever issued it, never stored. */
  readonly key: string;
  readonly app_id: string;
}

/** Creates an app key and records its hash; shared by the local script and the ops script. */
export async function issueAppKey(
  repository: AppKeyRepository,
  input: { name: string; org_id?: string; key?: string },
): Promise<IssuedAppKey> {
  const key = input.key ?? generateAppKey();
  const appId = newId('app');
  await repository.put(hashAppKey(key), {
    app_id: appId,
    name: input.name,
    status: 'active',
    created_at: new Date().toISOString(),
    ...(input.org_id ? { org_id: input.org_id } : {}),
  });
  return { key, app_id: appId };
}
