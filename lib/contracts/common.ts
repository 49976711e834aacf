import { CREDENTIAL_REJECTION_REASONS } from '../config/credential-rejections';
import * as z from 'zod/mini';

/**
 * Response shapes shared by several endpoints' contracts. They describe what the API answers, so
 * they are plain objects (an undocumented field fails the contract tests: tests/support/contract.ts)
 * and never stricter than what a handler may legitimately return.
 */
export const timestamp = z.iso.datetime();
export const message = z.string();

/** `{message}`: what a DELETE (and a few other writes) answers; writes add the object they wrote. */
export const messageField = message;
export const messageShape = z.object({ message });

/** The OpenAPI document itself, as openapi-get serves it (its own schema is OpenAPI's, not ours). */
export const openApiDocumentShape = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** The page fields every list adds to its items. */
export const pageShape = { count: z.int().check(z.gte(0)), next_token: z.optional(z.string()) };

/** The error body of api.md "Errors", from the functions and from the gateway alike. */
export const errorShape = z.object({
  message,
  code: z.string(),
  details: z.optional(
    z.array(
      z.object({
        path: z.string(),
        message: z.string(),
        /** A 401's non-secret reason code (api.md Conventions). */
        reason: z.optional(z.enum(CREDENTIAL_REJECTION_REASONS)),
      }),
    ),
  ),
});
