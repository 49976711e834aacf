import type { $ZodType } from 'zod/v4/core';
import { errorShape } from '../../lib/contracts/common';
import { errorStatusesOf, type EndpointContract } from '../../lib/http/contract';
import { API_PREFIX, type RouteDefinition } from '../../functions/manifest';
import { ERROR_RESPONSES } from './errors';
import { jsonSchemaOf, SharedDefinitions, type JsonSchema } from './schema';

export interface DocumentInfo {
  readonly version: string;
}

const TAGS: Readonly<Record<string, string>> = {
  Organizations: 'Clubs and coaching organizations (the Organizations API document).',
  Members: "An organization's athlete roster; an athlete is a member once they accept (privacy.md §8).",
  Coaches: "An organization's co-coaches.",
  Groups: 'Training groups inside an organization (plan feature `training_groups`).',
  Leaderboards: 'Rankings by distance, time, count or pace, with every athlete’s settings applied.',
  Feed: "An organization's activity feed.",
  'Audit log': 'Who changed what in an organization (plan feature `audit_log`).',
  Users: 'Profiles and privacy settings; each athlete decides who sees what.',
  Consent: 'Invitations to organizations, and the athlete’s answer to each.',
  Activities: "An athlete's training activities.",
  Service: 'About the API itself.',
};

const SECURITY_SCHEMES = {
  appKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An app key, for integrations (issued with `npm run issue-app-key`); metered by its API Gateway usage plan.',
  },
  userToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A user's token from the configured issuer: `sub` is the user id. Send exactly one credential per request.",
  },
} as const;

const REQUEST_ID = {
  description: 'The request id; quote it when reporting a problem.',
  schema: { type: 'string' },
};

function securityOf(contract: EndpointContract): Record<string, string[]>[] {
  return contract.credentials.map((kind) => (kind === 'app' ? { appKey: [] } : { userToken: [] }));
}

/** api.md Conventions: every POST accepts it (lib/http/idempotency-key.ts checks it, docs/adr/0011). */
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same request within 24 hours returns the first response (same status and body) and creates nothing new; the same key with another request is a 409 `idempotency_key_reused`; a retry while the first is still running may be a 409 `idempotency_key_in_progress` (retry later). Keys are per caller. 1 to 128 visible ASCII characters, else a 400.',
  schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' },
};

class OperationWriter {
  constructor(private readonly definitions: SharedDefinitions) {}

  schema(schema: $ZodType, io: 'input' | 'output'): JsonSchema {
    return this.definitions.hoist(jsonSchemaOf(schema, io));
  }

  parameters(contract: EndpointContract): object[] {
    const out: object[] = [];
    for (const [place, schema] of [
      ['path', contract.params],
      ['query', contract.query],
    ] as const) {
      if (!schema) continue;
      const object = this.schema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, property] of Object.entries(object.properties ?? {})) {
        const { description, ...rest } = property as JsonSchema & { description?: string };
        out.push({
          name,
          in: place,
          required: place === 'path' || (object.required ?? []).includes(name),
          ...(typeof description === 'string' ? { description } : {}),
          schema: rest,
        });
      }
    }
    if (contract.method === 'POST') out.push({ $ref: '#/components/parameters/IdempotencyKey' });
    return out;
  }

  async operation(contract: EndpointContract): Promise<object> {
    const examples = contract.examples ?? {};
    const responses: Record<string, object> = {};
    for (const [status, schema] of Object.entries(await contract.responses())) {
      if (!schema) continue;
      responses[status] = {
        description: status === '201' ? 'Created' : 'OK',
        headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
        content: {
          'application/json': {
            schema: this.schema(schema, 'output'),
            ...(examples.response !== undefined ? { example: examples.response } : {}),
          },
        },
      };
    }
    for (const status of errorStatusesOf(contract))
      responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
    const parameters = this.parameters(contract);
    const feature = contract.feature ? `\n\nPlan feature: \`${contract.feature}\`.` : '';
    return {
      operationId: contract.name,
      summary: contract.summary,
      ...(contract.description ? { description: `${contract.description}${feature}` } : {}),
      tags: [contract.tag],
      security: securityOf(contract),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(contract.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: this.schema(contract.body, 'input'),
                  ...(examples.body !== undefined ? { example: examples.body } : {}),
                },
              },
            },
          }
        : {}),
      responses,
    };
  }
}

function errorComponents(writer: OperationWriter): { responses: Record<string, object> } {
  const responses: Record<string, object> = {};
  for (const { name, description, example, headers } of Object.values(ERROR_RESPONSES)) {
    responses[name] = {
      description,
      headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' }, ...headers },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } },
    };
  }
  // The Error shape is a named one: converting it alone yields its component and a reference to it.
  writer.schema(errorShape, 'output');
  return { responses };
}

/**
 * The OpenAPI 3.1 document of the routes, from their contracts alone (api.md "Service"). Built at
 * build time by `npm run openapi`: no function but openapi-get carries it, none loads the generator.
 */
export async function openApiDocument(routes: readonly RouteDefinition[], info: DocumentInfo): Promise<object> {
  const definitions = new SharedDefinitions();
  const writer = new OperationWriter(definitions);
  const paths: Record<string, Record<string, object>> = {};
  for (const { contract } of routes) {
    const operations = (paths[contract.path] ??= {});
    operations[contract.method.toLowerCase()] = await writer.operation(contract);
  }
  const errors = errorComponents(writer);
  const usedTags = new Set(routes.map((route) => route.contract.tag));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Astral API',
      version: info.version,
      description:
        'Clubs, coaches and athletes. Every athlete field reaches a caller only as the athlete’s privacy settings allow, and no one becomes their coach without their consent. JSON in and out, `snake_case`, ISO 8601 UTC timestamps; lists page with `limit` and an opaque `next_token`. A known path called with another method answers 405 with `Allow`; an unknown path 404.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      {
        url: `https://{api_id}.execute-api.{region}.amazonaws.com/{stage}${API_PREFIX}`,
        description: 'A deployed stack (`npm run deploy` prints its URL)',
        variables: { api_id: { default: 'abcdef1234' }, region: { default: 'eu-west-1' }, stage: { default: 'prod' } },
      },
      { url: `http://127.0.0.1:3000${API_PREFIX}`, description: 'The local stack (`npm start`)' },
    ],
    tags: Object.entries(TAGS)
      .filter(([name]) => usedTags.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      headers: { RequestId: REQUEST_ID },
      parameters: { IdempotencyKey: IDEMPOTENCY_KEY },
      responses: errors.responses,
      schemas: definitions.components,
    },
  };
}
