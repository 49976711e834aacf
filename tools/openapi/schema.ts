import { registry, toJSONSchema, type $ZodType } from 'zod/v4/core';
import {
  activityShape,
  activitySummaryShape,
  coachShape,
  errorShape,
  groupShape,
  memberShape,
  organizationShape,
  privacyShape,
  userShape,
} from '../../lib/contracts';

export type JsonSchema = { [key: string]: unknown };

/**
 * The shared response shapes get a name in the document (a component each, referenced wherever they
 * occur), so a generated client has one `User` type rather than a copy per operation. Registered
 * here, at build time: the functions never pay for a registry.
 */
const NAMED_SHAPES = registry<{ id?: string; description?: string }>();
for (const [id, shape] of Object.entries({
  Error: errorShape,
  Organization: organizationShape,
  Member: memberShape,
  Coach: coachShape,
  Group: groupShape,
  User: userShape,
  PrivacySettings: privacyShape,
  Activity: activityShape,
  ActivitySummary: activitySummaryShape,
})) {
  NAMED_SHAPES.add(shape, { id });
}

/**
 * What a field's schema cannot say but a client must know, on the field itself (also registered here,
 * at build time, so no function carries the text).
 */
const userFields: Readonly<Record<string, $ZodType>> = userShape.shape;
const privacyZones = userFields.privacy_zones;
if (!privacyZones) throw new Error('the User shape has no privacy_zones field to describe');
NAMED_SHAPES.add(privacyZones, {
  description:
    "Owner-only (privacy.md §9): present only in the owner's own view (`GET /users/me`, `GET /users/{user_id}` of oneself, the export's profile), never shown to anyone else, whatever the settings or a coach override. Every other viewer gets this athlete's maps with the points inside a zone removed, and `start_latlng` / `end_latlng` omitted when inside one.",
});

/**
 * zod 4's own JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses as its schema dialect).
 * Requests are described as clients send them (`input`: defaults optional, a query's coerced numbers
 * as numbers), responses as the handlers produce them (`output`: plain objects admit no other
 * field). A refinement JSON Schema cannot say (an ordering, a byte size) is documented by the field's
 * bounds alone; the function still enforces it.
 */
export function jsonSchemaOf(schema: $ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    metadata: NAMED_SHAPES,
  }) as JsonSchema;
  return rest;
}

/**
 * Moves a schema's `$defs` (zod emits them for recursive types such as JSON values) into the
 * document's components, so `#/...` references resolve from the document root as OpenAPI reads
 * them. Identical definitions share one component.
 */
export class SharedDefinitions {
  readonly components: Record<string, JsonSchema> = {};
  private readonly byContent = new Map<string, string>();

  hoist(schema: JsonSchema): JsonSchema {
    const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
    if (!$defs) return rest;
    const renamed = new Map<string, string>();
    // Each definition is named first, so references between definitions can be rewritten.
    for (const [defName, definition] of Object.entries($defs)) {
      const content = JSON.stringify(definition);
      let name = this.byContent.get(content);
      if (!name) {
        // zod names the definitions it had to extract itself `__schema<n>`: here, JSON values.
        name = this.freeName(defName.startsWith('__schema') ? 'JsonValue' : defName);
        this.byContent.set(content, name);
      }
      renamed.set(defName, name);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          const target = key === '$ref' && typeof inner === 'string' ? /^#\/\$defs\/(.+)$/.exec(inner)?.[1] : undefined;
          return [key, target !== undefined ? `#/components/schemas/${renamed.get(target) ?? target}` : rewrite(inner)];
        }),
      );
    };
    for (const [defName, definition] of Object.entries($defs)) {
      const name = renamed.get(defName) as string;
      this.components[name] ??= rewrite(definition) as JsonSchema;
    }
    return rewrite(rest) as JsonSchema;
  }

  private freeName(hint: string): string {
    let name = hint;
    for (let n = 2; this.components[name] !== undefined || [...this.byContent.values()].includes(name); n += 1) name = `${hint}${n}`;
    return name;
  }
}
