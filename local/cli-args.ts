/** Just enough argument parsing for the local scripts: positionals, `--flag`, `--name value` / `--name=value`. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
}

export function parseArgs(argv: readonly string[], valueOptions: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (valueOptions.includes(name)) {
      const value = inline ?? argv[index + 1];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      if (inline === undefined) index += 1;
      values.set(name, value);
    } else {
      flags.add(name);
    }
  }
  return { positionals, flags, values };
}

/** Scripts print their one result on stdout; everything else, errors included, goes to stderr. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
