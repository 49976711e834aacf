// The privacy engine as deployed (the layer's @astral/lib/policy), on one core: decisions per
// second, and the cost of shaping a 100-activity page. Pure computation, so wall time is CPU time.
import { readFileSync, writeFileSync } from 'node:fs';
import { installLayerResolution } from './layer-resolve-hook.mjs';

const [, , inputFile, resultFile] = process.argv;
installLayerResolution(process.env.LAMBDA_ROOT);
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const policy = await import('@astral/lib/policy');
const {
  decisionFor,
  allows,
  settingsFromBits,
  resolveSettings,
  buildRelationshipFactsForAthletes,
  resolveRelationship,
  shapeActivities,
  shapeActivity,
  FIELD_GROUPS,
  RELATIONSHIPS,
  CONTEXTS,
} = policy;

// Deterministic pseudo-random settings, so every run asks the same questions.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const SETTINGS = Array.from({ length: 4096 }, () => settingsFromBits(Math.floor(random() * 8192)));

function decisionsPerSecond(total) {
  let sink = 0;
  const run = (count) => {
    for (let i = 0; i < count; i++) {
      const decision = decisionFor(SETTINGS[i & 4095], RELATIONSHIPS[i % 5], CONTEXTS[i % 6]);
      if (allows(decision, FIELD_GROUPS[i & 7])) sink++;
    }
  };
  run(total); // fills the decision table: the steady state a warm container reaches
  const started = performance.now();
  run(total);
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: total / seconds, sink };
}

/** First-time evaluations (rules run, no table): what a cold container pays per new combination. */
function evaluationsPerSecond(total) {
  const { explain } = policy;
  const started = performance.now();
  for (let i = 0; i < total; i++) explain({ settings: SETTINGS[i & 4095], relationship: RELATIONSHIPS[i % 5], context: CONTEXTS[i % 6] });
  return total / ((performance.now() - started) / 1000);
}

const viewerId = input.viewerId;
const factsInput = {
  viewer: { kind: 'user', user_id: viewerId, is_admin: false },
  organizations: [{ org_id: input.orgId, head_coach_user_id: viewerId, coaches: [] }],
  memberships: input.owners.map((owner) => ({ org_id: input.orgId, user_id: owner.user_id, status: 'active', assigned_coach_id: null })),
};

/** One athlete's page: facts, relationship, one decision, 100 activities shaped. */
function athletePage() {
  const owner = input.owners[0];
  const facts = buildRelationshipFactsForAthletes(factsInput, [owner.user_id]).get(owner.user_id);
  const decision = decisionFor(resolveSettings(owner.privacy), resolveRelationship(facts), 'activity');
  return shapeActivities(input.page, decision).length;
}

/** A feed page: 100 activities of 25 athletes, a relationship and a decision per athlete, each item shaped. */
function feedPage() {
  const ids = input.owners.map((owner) => owner.user_id);
  const facts = buildRelationshipFactsForAthletes(factsInput, ids);
  const decisions = new Map();
  for (const owner of input.owners)
    decisions.set(owner.user_id, decisionFor(resolveSettings(owner.privacy), resolveRelationship(facts.get(owner.user_id)), 'feed'));
  let shown = 0;
  for (const activity of input.feed) if (shapeActivity(activity, decisions.get(activity.user_id))) shown++;
  return shown;
}

function timePerCall(fn, iterations) {
  for (let i = 0; i < 500; i++) fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    fn();
    samples[i] = performance.now() - started;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: sorted[Math.floor(iterations / 2)], p99Ms: sorted[Math.ceil(iterations * 0.99) - 1], shown: fn() };
}

const result = {
  decisions: decisionsPerSecond(input.decisions),
  evaluationsPerSecond: evaluationsPerSecond(input.evaluations),
  athletePage: timePerCall(athletePage, input.pages),
  feedPage: timePerCall(feedPage, input.pages),
};
writeFileSync(resultFile, JSON.stringify(result));
