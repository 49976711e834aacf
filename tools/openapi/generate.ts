import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../functions/manifest';
import { openApiDocument } from './document';
import { endpointTable, withEndpointTable } from './endpoint-table';

export const OPENAPI_FILE = 'docs/openapi.json';
export const README_FILE = 'README.md';

/** What `npm run openapi` writes, from the contracts: the document's text and the README's. */
export async function generatedFiles(root: string): Promise<{ openapi: string; readme: string }> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const openapi = `${JSON.stringify(await openApiDocument(ROUTES, { version }), null, 2)}\n`;
  const readme = withEndpointTable(readFileSync(join(root, README_FILE), 'utf8'), endpointTable(ROUTES));
  if (readme === undefined) throw new Error(`${README_FILE} has lost its endpoint table markers`);
  return { openapi, readme };
}
