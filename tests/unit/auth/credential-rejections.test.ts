import {
  ACCESS_DENIED_TEMPLATE,
  CREDENTIAL_REJECTION_REASONS,
  CREDENTIAL_REJECTIONS,
  UNAUTHORIZED_TEMPLATE,
  rejectionContext,
  unauthorizedBodyFor,
} from '@astral/lib/config';
import { BothCredentialsError, MissingCredentialsError, TokenExpiredError } from '@astral/lib/errors';
import { renderGatewayTemplate } from '../../../local/gateway-template';

describe('credential rejections (the 401 reasons of api.md "Conventions")', () => {
  it('are exactly the seven reasons of the spec, each naming the header it is about', () => {
    expect([...CREDENTIAL_REJECTION_REASONS].sort()).toEqual(
      [
        'missing_credentials',
        'both_credentials',
        'malformed_authorization',
        'invalid_token',
        'token_expired',
        'unknown_app_key',
        'revoked_app_key',
      ].sort(),
    );
    for (const reason of CREDENTIAL_REJECTION_REASONS) {
      expect(['headers', 'headers.authorization', 'headers.x-api-key']).toContain(CREDENTIAL_REJECTIONS[reason].path);
    }
  });

  it.each(CREDENTIAL_REJECTION_REASONS.map((reason) => [reason]))(
    '%s: the ACCESS_DENIED template, substituted as API Gateway does, is valid JSON equal to the 401 body',
    (reason) => {
      // API Gateway substitutes $context.authorizer.* verbatim: the values must need no JSON escaping.
      const rendered = renderGatewayTemplate(ACCESS_DENIED_TEMPLATE, rejectionContext(reason));
      expect(rendered).not.toContain('$context');
      expect(JSON.parse(rendered)).toEqual({
        message: 'invalid or missing credentials',
        code: 'unauthorized',
        details: [{ path: CREDENTIAL_REJECTIONS[reason].path, message: CREDENTIAL_REJECTIONS[reason].message, reason }],
      });
      expect(JSON.parse(rendered)).toEqual(unauthorizedBodyFor(reason));
    },
  );

  it('the UNAUTHORIZED template is static and says no credentials came', () => {
    expect(UNAUTHORIZED_TEMPLATE).not.toContain('$');
    expect(JSON.parse(UNAUTHORIZED_TEMPLATE)).toEqual(unauthorizedBodyFor('missing_credentials'));
  });

  it("a function's own 401 (no principal reached it) has the gateway's missing_credentials body", () => {
    const error = new MissingCredentialsError();
    expect({ message: error.message, code: error.code, details: error.details }).toEqual(unauthorizedBodyFor('missing_credentials'));
    expect(error.status).toBe(401);
  });

  it.each([
    ['both_credentials', () => new BothCredentialsError()],
    ['token_expired', () => new TokenExpiredError()],
  ] as const)("the pipeline's own 401 %s (ADR 0014) has the gateway's body for that reason", (reason, make) => {
    const error = make();
    expect({ message: error.message, code: error.code, details: error.details }).toEqual(unauthorizedBodyFor(reason));
    expect(error.status).toBe(401);
  });
});
