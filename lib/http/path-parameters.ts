import { ValidationError } from '../errors';

/**
 * API Gateway REST APIs hand Lambda proxy integrations path parameters still percent-encoded (a user
 * id `auth0|abc` sent as `auth0%7Cabc` arrives as `auth0%7Cabc`), so they are decoded here, once,
 * before validation: the encoded and the plain spelling name the same resource. A malformed escape
 * is a 400 naming the parameter, not a 500.
 */
export function decodePathParameters(
  pathParameters: Readonly<Record<string, string | undefined>> | null | undefined,
): Record<string, string | undefined> | null {
  if (!pathParameters) return null;
  const decoded: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(pathParameters)) {
    if (value === undefined) continue;
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new ValidationError('invalid path parameter', [{ path: name, message: 'has an invalid percent-encoding' }]);
    }
  }
  return decoded;
}
