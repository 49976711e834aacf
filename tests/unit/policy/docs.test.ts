import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELATIONSHIP_RULES, RULE_IDS } from '@astral/lib/policy';

// docs/privacy.md is the integrators' list of rule ids; a rule added to the engine must be documented.
const doc = readFileSync(join(process.cwd(), 'docs', 'privacy.md'), 'utf8');

test('every rule id is documented', () => {
  const ids = [...RULE_IDS.map((id) => id.replace(/:share_[a-z_]+$/, ':<setting>')), ...Object.keys(RELATIONSHIP_RULES)];
  expect(ids.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
});
