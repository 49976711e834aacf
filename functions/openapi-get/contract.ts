import { defineContract } from '@astral/lib/http';

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
  responses: async () => {
    const { openApiDocumentShape } = await import('@astral/lib/contracts');
    return { 200: openApiDocumentShape };
  },
  errors: [],
});
