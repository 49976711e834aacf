import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { API_PREFIX, ROUTES } from '../../functions/manifest';
import { createRouter } from '../../local/routes';

/**
 * Checks every response the tests receive over HTTP against docs/openapi.json (the committed document;
 * tests/unit/contract/openapi.test.ts keeps it equal to what the contracts generate): a status the
 * operation does not document, a field its schema does not have, a missing `x-request-id` — each
 * fails the test that received it. Paths the document does not have (the gateway's 404, fixture
 * routes) and a known path's other methods (405) must still answer in the error shape.
 */
interface Operation {
  readonly id: string;
  readonly responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly servers: readonly { readonly url: string }[];
}

const DOCUMENT_ID = 'openapi.json';

const pointer = (...segments: string[]): string =>
  `${DOCUMENT_ID}#/${segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly document: Document;
  /** The local gateway's own router over the manifest: a request meets the operation it would reach. */
  private readonly route = createRouter(ROUTES);
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.document = JSON.parse(readFileSync(file, 'utf8')) as Document;
    // strict off: the document is OpenAPI, whose keywords (example, paths, ...) are not JSON Schema's.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    this.ajv.addSchema(this.document, DOCUMENT_ID);
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }

  private check(ref: string, body: unknown, what: string): void {
    const validate = this.validator(ref);
    if (!validate(body)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
      throw new Error(
        `contract: ${what} does not match the document:\n  ${problems.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
      );
    }
  }

  checkResponse(method: string, url: string, status: number, headers: Headers, body: unknown): void {
    const what = `${method} ${url} → ${status}`;
    if (!headers.get('x-request-id')) throw new Error(`contract: ${what} has no x-request-id header`);
    const path = new URL(url, 'http://host').pathname;
    if (!path.startsWith(`${API_PREFIX}/`)) return; // the local issuer's JWKS, and nothing else, lives outside the API
    const lookup = this.route(method, path);
    if (lookup.kind !== 'match') {
      // Not an operation: the gateway's own 404 or 405, or a fixture route. Errors keep the error shape.
      if (status >= 400 && body !== undefined) this.check(pointer('components', 'schemas', 'Error'), body, what);
      return;
    }
    const template = lookup.match.route.contract.path;
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`contract: ${what}: ${lookup.match.route.name} is not in docs/openapi.json (npm run openapi)`);
    const response = operation.responses[String(status)];
    if (!response)
      throw new Error(`contract: ${what} is not a documented status of ${template} (${Object.keys(operation.responses).join(', ')})`);
    if (body === undefined) throw new Error(`contract: ${what} has no JSON body`);
    const schemaRef = response.$ref
      ? pointer(...response.$ref.slice(2).split('/'), 'content', 'application/json', 'schema')
      : pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema');
    this.check(schemaRef, body, what);
  }
}

let checker: ContractChecker | undefined;

/** One checker per test worker: the document is parsed and its schemas compiled once. */
export function contractChecker(): ContractChecker {
  checker ??= new ContractChecker(join(process.cwd(), 'docs', 'openapi.json'));
  return checker;
}
