import { defineContract, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'openapi-get',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  description:
    'The OpenAPI 3.1 document of the API, generated at build time from the same endpoint contracts that validate requests (tools/openapi).',
  tag: 'Service',
  credentials: [],
  tableAccess: 'none',
  responses: {
    200: z.looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    }),
  },
  errors: [],
});
