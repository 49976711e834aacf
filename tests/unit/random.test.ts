import { pooledRandomBytes } from '../../lib/random';

describe('pooledRandomBytes', () => {
  test('hands out the size asked for, large sizes included', () => {
    for (const size of [0, 1, 12, 22, 1024, 5000]) expect(pooledRandomBytes(size)).toHaveLength(size);
  });

  test('never hands the same bytes out twice, across pool refills', () => {
    // 4 KB pool, 12-byte draws: 2,000 draws cross several refills. 96 random bits collide with
    // probability ~2^-75 here, so a repeat means bytes were reused.
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) seen.add(pooledRandomBytes(12).toString('hex'));
    expect(seen.size).toBe(2_000);
  });

  test('a draw is a copy: refilling the pool does not change bytes already handed out', () => {
    const first = pooledRandomBytes(16);
    const kept = Buffer.from(first);
    // 400 × 16 bytes is more than the 4 KB pool: it is refilled at least once.
    for (let i = 0; i < 400; i++) pooledRandomBytes(16);
    expect(first.equals(kept)).toBe(true);
  });
});
