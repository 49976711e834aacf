import { pooledRandomBytes } from './random';

export type IdPrefix = 'org' | 'usr' | 'act' | 'grp' | 'app';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random base-62 characters (≈5.95 bits each). */
export function randomBase62(length: number): string {
  let out = '';
  // 256 % 62 bias is negligible for ids that only need to be unguessable, not uniform.
  for (const byte of pooledRandomBytes(length)) out += ALPHABET[byte % 62];
  return out;
}

/** Prefixed, unguessable ids: 22 base-62 characters ≈ 131 random bits (api.md asks for at least 96). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(22)}`;
}

/** Our own ids: prefix plus base-62 body. The documents' examples (org_xyz789) fit too. */
export const idPattern = (prefix: IdPrefix): RegExp => new RegExp(`^${prefix}_[A-Za-z0-9]{3,64}$`);

/**
 * User ids are the token's `sub`, so an external issuer's format must fit (auth0|123, uuids, emails);
 * `#` is excluded because it separates key segments in the table.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@|+-]{0,127}$/;
