/**
 * `npm run bench`: cold starts, warm cost, DynamoDB work, scale, concurrency and dollars per million
 * requests (docs/benchmarks.md). Writes bench/results.json and prints the tables; `-- --docs` also
 * rewrites the results section of docs/benchmarks.md. Never part of `npm test`.
 *
 *   npm run bench                 # the full run (about 7 minutes on 2 cores)
 *   npm run bench -- --quick      # fewer repetitions, for trying the harness out
 *   npm run bench -- --smoke      # one of everything: the harness end to end in minutes, numbers meaningless
 *   npm run bench -- --docs       # and put the results into docs/benchmarks.md
 *   npm run bench -- --authorizer-hit=user:0.8,app:0.3 --xray-sampled=0.1 --records-per-consumer-invocation=10
 *   npm run bench -- --save=/tmp/m.json   # keep the measurements; `--from=/tmp/m.json` rebuilds the report from them
 *
 * Measuring is bench/measure.ts; each part of the report is a bench/report-*.ts; limits and their
 * reasons are bench/targets.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './measure';
import { benchOptions, phase } from './options';
import { buildReport, writeDocs } from './report-build';
import { loadMeasurements, saveMeasurements } from './snapshot';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const from = argv.find((arg) => arg.startsWith('--from='))?.slice('--from='.length);
  const save = argv.find((arg) => arg.startsWith('--save='))?.slice('--save='.length);
  const asked = benchOptions(argv);
  const saved = from ? loadMeasurements(from) : undefined;
  // A saved run is reported with the repetitions it was measured with; --docs and the assumptions are this command's.
  const options = saved ? { ...saved.options, writeDocs: asked.writeDocs, assumptions: asked.assumptions } : asked;
  const measurements = saved ? saved.measurements : await measure(options);
  phase('cost model and report');
  const report = buildReport(measurements, options);
  writeFileSync(join(process.cwd(), 'bench', 'results.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  console.log(report.markdown);
  if (options.writeDocs) writeDocs(report.markdown);
  if (save) saveMeasurements(save, { measurements, options });
  const missed = report.json.targets.filter((target: { met: boolean | null }) => target.met === false).length;
  phase(
    `done: ${report.json.targets.length} targets, ${missed} missed; bench/results.json written${options.writeDocs ? ', docs/benchmarks.md updated' : ''}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
