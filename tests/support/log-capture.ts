/**
 * Captures what the process writes to stdout and stderr, as Lambda's log collector would: the
 * Powertools Logger and Metrics write through their own `Console` on those streams, not through the
 * global `console`, so spying on `console.*` would see nothing.
 */
export interface CapturedLogs {
  /** Every line written since the capture started, in order. */
  lines(): string[];
  /** The lines that parse as JSON objects. */
  records(): Record<string, unknown>[];
  restore(): void;
}

export function captureLogs(options: { passThrough?: boolean } = {}): CapturedLogs {
  const chunks: string[] = [];
  const originals = [process.stdout.write, process.stderr.write] as const;
  const streams = [process.stdout, process.stderr] as const;
  streams.forEach((stream, index) => {
    const original = originals[index];
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      if (options.passThrough) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }) as typeof stream.write;
  });
  const lines = (): string[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
  return {
    lines,
    records: () =>
      lines().flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    restore: () => {
      process.stdout.write = originals[0];
      process.stderr.write = originals[1];
    },
  };
}

/**
 * Skips info lines (lib/logging's ASTRAL_QUIET) for the enclosing describe block or file, and puts
 * the variable back after it: for tests that assert on results, where a request line per call would
 * bury failures. Warnings and errors still print.
 */
export function quietInfoLogs(): void {
  let quiet: string | undefined;
  beforeAll(() => {
    quiet = process.env.ASTRAL_QUIET;
    process.env.ASTRAL_QUIET = 'true';
  });
  afterAll(() => {
    if (quiet === undefined) delete process.env.ASTRAL_QUIET;
    else process.env.ASTRAL_QUIET = quiet;
  });
}
