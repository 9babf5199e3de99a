// What a CLI sub-command is, and the argument parsing all of them share.
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
  /** Full help text shown by `deep-symphony <name> --help`. */
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly; unknown flags and missing values become UsageErrors naming the flag. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
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
