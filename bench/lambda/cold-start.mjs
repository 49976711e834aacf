// One cold start: a fresh Node process imports the function's module (/var/task/index.mjs) the way the
// runtime does before the first invocation. Writes the timings and the files it loaded as JSON.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installLayerResolution } from './layer-resolve-hook.mjs';

const [, , resultFile] = process.argv;
const root = process.env.LAMBDA_ROOT;
const loaded = new Set();
installLayerResolution(root, loaded);

const cpuBefore = process.cpuUsage();
const started = performance.now();
const module = await import(pathToFileURL(`${root}/var/task/index.mjs`).href);
const imported = performance.now();
const cpu = process.cpuUsage(cpuBefore);
if (typeof module.handler !== 'function') throw new Error('index.mjs exports no handler');

writeFileSync(
  resultFile,
  JSON.stringify({
    importMs: imported - started,
    importCpuMs: (cpu.user + cpu.system) / 1000,
    // Since the process's time origin: Node's own start-up plus the import.
    readyMs: imported,
    loaded: [...loaded].map((url) => url.slice(pathToFileURL(root).href.length)),
  }),
);
