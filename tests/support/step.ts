/**
 * One step of a story that several tests tell in order (create, then read, then change…). It runs
 * once, when the first test that needs it calls it, and every later call gets the same result. A test
 * that starts where an earlier step leaves off calls that step first: it passes alone
 * (`jest <file> -t "<name>"`) as it does in order, and a full run still makes each request once, in
 * the same order as before. A step that failed stays failed for every test that needs it.
 */
export function step<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}
