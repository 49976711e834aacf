import { AUTHORIZER } from '../functions/manifest';
import { type ColdStart, pairedRatio } from './cold-start';
import { type Measurements, WARM_KEYS } from './measure';
import type { BenchOptions } from './options';
import { type Cell, formatNumber, markdownTable, type Section, type Target } from './report';
import { round } from './stats';
import { coldLimitOf, LIMITS } from './targets';

/** The one function whose asset carries a document rather than only an entry. */
const OPENAPI_FUNCTION = 'openapi-get';

const kb = (bytes: number): number => bytes / 1024;

/** RSS after the first invocation, from the warm process (with the SDK where measured; stream consumers have none). */
function rssAfterFirstMb(input: Measurements, fn: Measurements['artifacts'][number]): number | null {
  const results = input.warm.get(fn.kind === 'authorizer' ? WARM_KEYS.appKey : fn.name);
  const warm = results?.sdk ?? results?.['short-circuit'];
  return warm && warm.rssAfterFirstBytes > 0 ? round(warm.rssAfterFirstBytes / 1024 ** 2, 1) : null;
}

/**
 * The cold-start target of one function: an HTTP route's import over the platform floor's, the
 * authorizer's over the floor's (bench/targets.ts says why); none for the others.
 */
function coldTarget(input: Measurements, fn: Measurements['artifacts'][number], entry: ColdStart): Target | null {
  const judged = coldLimitOf(fn.kind);
  if (!judged) return null;
  const { limit, floor: floorName } = judged;
  const floor = floorName === 'platform floor' ? input.platformFloorCold : input.floorCold;
  const name = `cold start ÷ ${floorName}: ${fn.name}`;
  if (!floor)
    return {
      name,
      value: null,
      unit: limit.unit,
      limit: limit.limit,
      met: null,
      reason: limit.reason,
      note: 'not measured in this snapshot',
    };
  const ratio = pairedRatio(entry, floor);
  return {
    name,
    value: round(ratio, 2),
    unit: limit.unit,
    limit: limit.limit,
    met: ratio <= limit.limit,
    reason: limit.reason,
    note: `${formatNumber(entry.importMedianMs)} ms vs ${floorName} ${formatNumber(floor.importMedianMs)} ms`,
  };
}

/** Cold start proxy and sizes: import time over the floors', asset sizes, what each function loads. */
export function coldSection(input: Measurements, options: BenchOptions): Section {
  const targets: Target[] = [];
  const rows: Cell[][] = [];
  const platform = input.platformFloorCold;
  for (const fn of input.artifacts) {
    const entry = input.cold.get(fn.name) as ColdStart;
    const ratio = pairedRatio(entry, input.floorCold);
    const target = coldTarget(input, fn, entry);
    if (target) targets.push(target);
    const assetBytes = input.assetBytes.get(fn.name) ?? Number.NaN;
    const assetLimit = fn.name === OPENAPI_FUNCTION ? LIMITS.openapiAssetKb : LIMITS.assetKb;
    targets.push({
      name: `function asset: ${fn.name}`,
      value: round(kb(assetBytes), 2),
      unit: assetLimit.unit,
      limit: assetLimit.limit,
      met: kb(assetBytes) <= assetLimit.limit,
      reason: assetLimit.reason,
    });
    rows.push([
      fn.name,
      fn.kind,
      entry.importMedianMs,
      entry.importCpuMedianMs,
      entry.readyMedianMs,
      round(ratio, 2),
      platform ? round(pairedRatio(entry, platform), 2) : null,
      kb(assetBytes),
      kb(entry.loadedBytes),
      entry.loadedFiles.length,
      rssAfterFirstMb(input, fn),
      entry.loadsJose ? 'yes' : 'no',
      entry.loadsZodLocales ? 'yes' : 'no',
    ]);
  }
  rows.push(floorRow('floor (DynamoDB document client only)', input.floorCold, input.floorCold, platform));
  if (platform)
    rows.push(floorRow('platform floor (+ middy, zod/mini, Powertools Logger and Metrics)', platform, input.floorCold, platform));
  targets.push(...loadTargets(input));
  return {
    targets,
    markdown: coldMarkdown(input, options, rows),
    json: {
      coldStarts: [...input.cold.values()],
      sizes: {
        layerBytes: input.layerBytes,
        floorLayerBytes: input.floorLayerBytes,
        functions: Object.fromEntries(input.assetBytes),
      },
    },
  };
}

/** Code loaded at init that nothing calls: zod's locales anywhere, jose outside the authorizer. */
function loadTargets(input: Measurements): Target[] {
  const withLocales = input.artifacts.filter((fn) => input.cold.get(fn.name)?.loadsZodLocales).map((fn) => fn.name);
  const joseOutside = input.artifacts
    .filter((fn) => fn.name !== AUTHORIZER.name && input.cold.get(fn.name)?.loadsJose)
    .map((fn) => fn.name);
  return [
    {
      name: 'functions loading code they never call: zod’s locale messages',
      value: withLocales.length,
      unit: 'functions',
      limit: 0,
      met: withLocales.length === 0,
      reason: 'every KB loaded at init is paid on every cold start',
      ...(withLocales.length ? { note: `${formatNumber(kb(input.zodLocaleBytes), 0)} KB of locales in each` } : {}),
    },
    {
      name: 'functions other than the authorizer that load jose',
      value: joseOutside.length,
      unit: 'functions',
      limit: 0,
      met: joseOutside.length === 0,
      reason: 'only the authorizer verifies tokens',
      ...(joseOutside.length ? { note: joseOutside.join(', ') } : {}),
    },
  ];
}

function coldMarkdown(input: Measurements, options: BenchOptions, rows: Cell[][]): string[] {
  return [
    '### Cold start proxy and sizes',
    '',
    `Median of ${options.coldRuns} fresh Node processes per artifact (${input.floorCold.runs} for the floor) (function asset as /var/task, layer as /opt), with DynamoDB Local suspended and the stream poller stopped. "import" is the time to import the handler module; "ready" adds Node's own start-up. Ratios are the median of the ratios within each round (both sides sampled in the same round, so a burst of load on the machine slows both). "÷ floor" divides by the document client alone; "÷ platform floor" by the client, middy, zod/mini and Powertools' Logger and Metrics (bench/floor-platform): the HTTP target's divisor, the authorizer's is the floor. Layer: ${formatNumber(kb(input.layerBytes))} KB unzipped; floor layer: ${formatNumber(kb(input.floorLayerBytes))} KB.`,
    '',
    markdownTable(
      [
        'function',
        'kind',
        'import ms',
        'import CPU ms',
        'ready ms',
        '÷ floor',
        '÷ platform floor',
        'asset KB',
        'loaded KB',
        'files loaded',
        'RSS after 1st invocation MB',
        'jose',
        'zod locales',
      ],
      rows,
    ),
  ];
}

/** A floor's row: the least any table-backed function (or HTTP function) can load. */
const floorRow = (label: string, floor: ColdStart, base: ColdStart, platform: ColdStart | undefined): Cell[] => [
  label,
  'floor',
  floor.importMedianMs,
  floor.importCpuMedianMs,
  floor.readyMedianMs,
  round(pairedRatio(floor, base), 2),
  platform ? round(pairedRatio(floor, platform), 2) : null,
  null,
  kb(floor.loadedBytes),
  floor.loadedFiles.length,
  null,
  'no',
  'no',
];
