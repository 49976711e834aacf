import { resolve } from 'node:path';

/**
 * The local runtime runs from the repository root (npm scripts and jest both start there), so paths
 * resolve from the working directory rather than from import.meta, which jest's CommonJS lacks.
 */
export const repoRoot = (): string => process.cwd();

/** Local state that must survive restarts (signing key, DynamoDB data); gitignored. */
export const LOCAL_DATA_DIR = '.astral-local';

export const localDataPath = (...segments: string[]): string => resolve(repoRoot(), LOCAL_DATA_DIR, ...segments);
