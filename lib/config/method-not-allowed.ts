/**
 * A known path called with a method it does not have (api.md "Conventions"): 405 with an `Allow`
 * header in our error shape. Shared by the stack (a MOCK `ANY` method per resource) and the local
 * gateway, so both answer with the same body and the same header value.
 */
export const METHOD_NOT_ALLOWED_STATUS = 405;
export const METHOD_NOT_ALLOWED_ERROR = { message: 'method not allowed', code: 'method_not_allowed' } as const;

/** The `Allow` value for a resource's methods: deduplicated, in alphabetical order, comma and space separated. */
export function allowHeader(methods: Iterable<string>): string {
  return [...new Set(methods)].sort().join(', ');
}
