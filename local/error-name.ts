/** What the local runtime logs about a failure: the name only, since messages and stacks can carry data. */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
