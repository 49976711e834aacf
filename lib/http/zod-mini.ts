/**
 * The zod/mini functions endpoints build their schemas from, re-exported as `z` by `@astral/lib/http`.
 *
 * Named one by one because re-exporting the `z` namespace whole would keep all of it in the layer,
 * `z.locales` included (~320 KB minified that no function calls): a namespace handed on as a value
 * cannot be tree-shaken. Add a function here when a schema needs it.
 */
export {
  _default,
  array,
  boolean,
  coerce,
  enum,
  gte,
  int,
  iso,
  json,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  optional,
  pipe,
  record,
  refine,
  regex,
  strictObject,
  string,
  transform,
  trim,
  tuple,
  unknown,
  url,
} from 'zod/mini';
export type { infer, input, output } from 'zod/mini';
