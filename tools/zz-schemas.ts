const counts = new Map<string, number>();
(globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig = {
  postProcessor: () => {
    const stack = (new Error().stack ?? '').split('\n').slice(3).map((l) => l.trim()).filter((l) => !l.includes('node_modules') && !l.includes('node:'));
    const site = (stack[0] ?? '?').replace(/.*\/work\/main\//, '').replace(/\)$/, '').replace(/:\d+$/, '');
    counts.set(site, (counts.get(site) ?? 0) + 1);
  },
};
process.env.TABLE_NAME ??= 't';
process.env.AWS_REGION ??= 'us-east-1';
const fn = process.argv[2] ?? 'activities-get';
await import(`../functions/${fn}/handler`);
const total = [...counts.values()].reduce((a, b) => a + b, 0);
console.log(fn, total);
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(String(v).padStart(4), k);
