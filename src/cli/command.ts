// What a CLI sub-command is, and the argument parsing all of them share.
import { StudioError } from '../shared/errors';

/** A bad command line: the message says which flag or value was wrong. */
export class UsageError extends StudioError {}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Progress on one line (a terminal gets \r updates; a pipe gets a line now and then). */
  progress(text: string): void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full help text shown by `deep-symphony <name> --help` (built when asked: it lists the registered model kinds). */
  help(): string | Promise<string>;
  run(argv: string[], io: CliIO): Promise<number>;
}

export type FlagType = 'string' | 'boolean';
export type FlagSpecs = Record<string, FlagType>;
export type FlagValues = Record<string, string | boolean>;

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. A value may start with "-" ("--seconds -5" reads -5,
 * so that the range check, not the parser, answers). Unknown flags and missing values are UsageErrors naming the flag.
 * With `lenient`, unknown flags are kept (as strings when a value follows) for a second, stricter pass.
 */
export function parseCommandLine(argv: readonly string[], specs: FlagSpecs, options: { lenient?: boolean } = {}): { values: FlagValues; positionals: string[] } {
  const values: FlagValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg === '--') {
        positionals.push(...argv.slice(i + 1));
        break;
      }
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) throw new UsageError(`unknown option "${arg}" (options are written --name)`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const type = specs[name];
    if (!type) {
      if (!options.lenient) throw new UsageError(`unknown option --${name}${suggest(name, Object.keys(specs))}`);
      const next = argv[i + 1];
      values[name] = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : true);
      continue;
    }
    if (name in values) throw new UsageError(`--${name} is given twice`);
    if (type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value, got "${inline}"`);
      values[name] = true;
      continue;
    }
    if (inline !== undefined) {
      values[name] = inline;
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
    values[name] = next;
    i++;
  }
  return { values, positionals };
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => k.startsWith(name.slice(0, 3)) || name.startsWith(k.slice(0, 3)));
  return close.length > 0 ? ` (did you mean ${close.slice(0, 3).map((k) => `--${k}`).join(', ')}?)` : '';
}

type Options = Record<string, { type: FlagType }>;
type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** parseCommandLine with typed values; positionals are refused unless allowed. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, allowPositionals = true): { values: Values<O>; positionals: string[] } {
  const specs: FlagSpecs = Object.fromEntries(Object.entries(options).map(([k, o]) => [k, o.type]));
  const { values, positionals } = parseCommandLine(argv, specs);
  if (!allowPositionals && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return { values: values as Values<O>, positionals };
}

/** Reads a numeric flag, with bounds, or the default when absent. */
export function numberFlag(value: string | boolean | undefined, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number between ${min} and ${max}, got "${String(value)}"`);
  }
  return n;
}
