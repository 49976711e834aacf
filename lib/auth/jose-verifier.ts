/**
 * The only jose functions the authorizer calls, in a module of their own that token-verifier.ts
 * imports dynamically: the layer build then splits exactly these (tree-shaken) into a chunk loaded on
 * the first bearer token. A dynamic `import('jose')` would keep all of jose instead.
 */
export { createRemoteJWKSet, jwtVerify } from 'jose';
