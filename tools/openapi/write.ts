/**
 * `npm run openapi`: writes docs/openapi.json (which the openapi-get function serves) and the README's
 * endpoint table from the endpoint contracts. tests/unit/contract/openapi.test.ts fails when either
 * committed file differs from what this would write.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles, OPENAPI_FILE, README_FILE } from './generate';

const root = join(import.meta.dirname, '..', '..');
const { openapi, readme } = await generatedFiles(root);
writeFileSync(join(root, OPENAPI_FILE), openapi);
writeFileSync(join(root, README_FILE), readme);
console.log(`wrote ${OPENAPI_FILE} (${Buffer.byteLength(openapi)} bytes) and the endpoint table of ${README_FILE}`);
