import { randomBytes } from 'node:crypto';

export type IdPrefix = 'org' | 'usr' | 'act' | 'grp' | 'app' | 'evt';

/** Prefixed, unguessable ids: 128 random bits (api.md asks for at least 96). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url').replace(/[-_]/g, (c) => (c === '-' ? 'x' : 'z'))}`;
}

const ID_PATTERN = /^(org|usr|act|grp|app|evt)_[A-Za-z0-9]{6,64}$/;
export function isId(value: string, prefix: IdPrefix): boolean {
  return ID_PATTERN.test(value) && value.startsWith(`${prefix}_`);
}
