import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../../functions/manifest';
import { generatedFiles, OPENAPI_FILE, README_FILE } from '../../../tools/openapi/generate';
import { activityShape, memberShape, userShape } from '@astral/lib/contracts';
import { OWNER_ACTIVITY_FIELDS, OWNER_PROFILE_FIELDS, ROSTER_MEMBER_FIELDS } from '@astral/lib/policy';
import { contractChecker } from '../../support/contract';

/**
 * The committed document and README table are what the contracts generate (run `npm run openapi`
 * when this fails), the document covers every route as its contract says, and the contract check the
 * HTTP tests run can fail.
 */
const root = process.cwd();
type Document = {
  paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[]; responses: Record<string, unknown> }>>;
};
let generated: { openapi: string; readme: string };
let document: Document;

beforeAll(async () => {
  generated = await generatedFiles(root);
  document = JSON.parse(generated.openapi) as Document;
});

describe('the generated files', () => {
  it('docs/openapi.json is up to date with the contracts', () => {
    expect(readFileSync(join(root, OPENAPI_FILE), 'utf8')).toBe(generated.openapi);
  });

  it("the README's endpoint table is up to date with the contracts", () => {
    expect(readFileSync(join(root, README_FILE), 'utf8')).toBe(generated.readme);
    for (const route of ROUTES) expect(generated.readme).toContain(`| ${route.method} | \`${route.path}\` |`);
  });
});

describe('the document', () => {
  it('has every route of the manifest, once, under its contract name, with its credentials as security', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual(ROUTES.map((r) => r.name).sort());
    for (const route of ROUTES) {
      const operation = document.paths[route.contract.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.name);
      const schemes = (operation?.security ?? []).map((requirement) => Object.keys(requirement)[0]);
      expect(schemes.sort()).toEqual(route.credentials.map((kind) => (kind === 'app' ? 'appKey' : 'userToken')).sort());
    }
  });

  it("says on the User's privacy_zones that only the owner ever gets them (privacy.md §9)", () => {
    const components = (
      JSON.parse(generated.openapi) as { components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> } }
    ).components.schemas;
    expect(components.User?.properties.privacy_zones?.description).toMatch(/^Owner-only \(privacy\.md §9\)/);
  });

  it('documents 401 for every authenticated operation and 415 for every one with a body', () => {
    for (const route of ROUTES) {
      const responses = Object.keys(document.paths[route.contract.path]?.[route.method.toLowerCase()]?.responses ?? {});
      expect({ route: route.name, has401: responses.includes('401') }).toEqual({ route: route.name, has401: route.credentials.length > 0 });
      expect({ route: route.name, has415: responses.includes('415') }).toEqual({
        route: route.name,
        has415: route.contract.body !== undefined,
      });
    }
  });
});

describe('the contract check of the HTTP tests', () => {
  const headers = new Headers({ 'x-request-id': 'test' });
  const group = { group_id: 'grp_abc', name: 'Tempo', member_ids: [] };

  it('accepts a documented response', () => {
    expect(() => contractChecker().checkResponse('GET', '/api/v1/organizations/org_abc/groups/grp_abc', 200, headers, group)).not.toThrow();
  });

  it('fails on a field the document does not have', () => {
    expect(() =>
      contractChecker().checkResponse('GET', '/api/v1/organizations/org_abc/groups/grp_abc', 200, headers, { ...group, secret: 'x' }),
    ).toThrow(/must NOT have additional properties/);
  });

  it('fails on a status the operation does not document, and on a missing request id', () => {
    expect(() => contractChecker().checkResponse('GET', '/api/v1/organizations/org_abc/groups/grp_abc', 409, headers, group)).toThrow(
      /not a documented status/,
    );
    expect(() => contractChecker().checkResponse('GET', '/api/v1/organizations/org_abc', 200, new Headers(), group)).toThrow(
      /x-request-id/,
    );
  });

  it('holds errors outside the documented operations to the error shape', () => {
    expect(() =>
      contractChecker().checkResponse('DELETE', '/api/v1/organizations', 405, headers, {
        message: 'method not allowed',
        code: 'method_not_allowed',
      }),
    ).not.toThrow();
    expect(() => contractChecker().checkResponse('GET', '/api/v1/nowhere', 404, headers, { error: 'nope' })).toThrow(/does not match/);
  });
});

describe("the owner's view and the documented shapes", () => {
  it('name the same fields: the owner reads back exactly what the document describes', () => {
    const keys = (shape: { _zod: { def: { shape: Record<string, unknown> } } }) => Object.keys(shape._zod.def.shape).sort();
    expect(keys(userShape)).toEqual([...OWNER_PROFILE_FIELDS, 'privacy'].sort());
    expect(keys(activityShape)).toEqual([...OWNER_ACTIVITY_FIELDS].sort());
    expect(keys(memberShape)).toEqual([...ROSTER_MEMBER_FIELDS].sort());
  });
});
