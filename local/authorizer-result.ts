/**
 * What API Gateway does with a Lambda authorizer's answer: validate its shape (a malformed answer is
 * a 500, AuthorizerConfigurationException), evaluate the IAM policy against the method ARN (an
 * explicit Deny wins; no matching Allow is also a denial), and flatten the context, whose values
 * reach a REST API integration as strings. A denial keeps the context too: API Gateway's
 * ACCESS_DENIED gateway response can render it (`$context.authorizer.*`).
 */
export type AuthorizerOutcome =
  | { readonly kind: 'allow'; readonly principalId: string; readonly context: Record<string, string>; readonly usageIdentifierKey?: string }
  | { readonly kind: 'deny'; readonly context: Record<string, string> }
  | { readonly kind: 'invalid'; readonly reason: string };

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** IAM wildcards: `*` any run of characters (slashes included), `?` exactly one. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

function statementApplies(statement: Statement, methodArn: string): boolean {
  const actions = asList(statement.Action).filter((action): action is string => typeof action === 'string');
  const resources = asList(statement.Resource).filter((resource): resource is string => typeof resource === 'string');
  return (
    actions.some((action) => globMatches(action.toLowerCase(), 'execute-api:invoke')) &&
    resources.some((resource) => globMatches(resource, methodArn))
  );
}

export function evaluateAuthorizerResult(result: unknown, methodArn: string): AuthorizerOutcome {
  if (!isRecord(result)) return { kind: 'invalid', reason: 'result is not an object' };
  const { principalId, policyDocument, context, usageIdentifierKey } = result;
  if (typeof principalId !== 'string') return { kind: 'invalid', reason: 'principalId is missing' };
  if (!isRecord(policyDocument)) return { kind: 'invalid', reason: 'policyDocument is missing' };
  const statements = asList(policyDocument.Statement);
  if (statements.length === 0 || !statements.every(isRecord)) return { kind: 'invalid', reason: 'policyDocument has no statements' };
  if (usageIdentifierKey !== undefined && usageIdentifierKey !== null && typeof usageIdentifierKey !== 'string') {
    return { kind: 'invalid', reason: 'usageIdentifierKey is not a string' };
  }

  const flatContext: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (!isRecord(context)) return { kind: 'invalid', reason: 'context is not an object' };
    for (const [key, value] of Object.entries(context)) {
      if (value === null || value === undefined) continue;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return { kind: 'invalid', reason: `context.${key} is not a string, number or boolean` };
      }
      flatContext[key] = String(value);
    }
  }

  const applicable = (statements as Statement[]).filter((statement) => statementApplies(statement, methodArn));
  if (applicable.some((statement) => statement.Effect === 'Deny')) return { kind: 'deny', context: flatContext };
  if (!applicable.some((statement) => statement.Effect === 'Allow')) return { kind: 'deny', context: flatContext };
  return {
    kind: 'allow',
    principalId,
    context: flatContext,
    ...(typeof usageIdentifierKey === 'string' && usageIdentifierKey !== '' ? { usageIdentifierKey } : {}),
  };
}
