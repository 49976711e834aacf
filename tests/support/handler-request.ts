/**
 * What the HTTP pipeline hands a handler's `handle` for a signed-in user (after parsing and
 * authorization): for tests that call one handler directly and count its DynamoDB work.
 */
export const userRequest = (userId: string, params: Record<string, string>, query: Record<string, unknown> = {}) => ({
  params,
  query,
  body: undefined,
  principal: { kind: 'user', user_id: userId, is_admin: false },
  requestId: 'test',
});
