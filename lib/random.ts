import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Random bytes handed out from a pool the OS CSPRNG refills 4 KB at a time, each byte once. Every
 * `randomBytes` call is a getrandom system call: 24 µs on this project's microVM bench machine, so a
 * listing's 12-byte page-token IV was ~15 % of its handler CPU (docs/benchmarks.md); a draw from the
 * pool is a copy. Node's own `randomUUID` caches entropy the same way.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 4) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  // A copy: the pool's bytes are overwritten at the next refill.
  const out = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return out;
}
