// The headless studio: `deep-symphony <command>` runs the same engine as the app.
import { StudioError } from '../shared/errors';
import { UsageError, type CliCommand, type CliIO } from './command';
import { infoCommand } from './commands/info';
import { trainCommand } from './commands/train';
import { generateCommand } from './commands/generate';
import { evaluateCommand } from './commands/evaluate';
import { importCommand } from './commands/import';
import { modelsCommand } from './commands/models';
import { polishCommand } from './commands/polish';

/** Every sub-command; later features add theirs here. */
export const commands: CliCommand[] = [infoCommand, modelsCommand, trainCommand, generateCommand, polishCommand, evaluateCommand, importCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: deep-symphony <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `deep-symphony <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`deep-symphony: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(await command.help());
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`deep-symphony ${name}: ${err.message}\nRun \`deep-symphony ${name} --help\` for usage.`);
      return 2;
    }
    io.err(`deep-symphony ${name}: ${describeError(err)}`);
    if (process.env.DEEP_SYMPHONY_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return err instanceof StudioError || isSystemError(err) ? 1 : 70;
  }
}

interface SystemError extends Error {
  code: string;
  path?: string;
  syscall?: string;
}

function isSystemError(err: unknown): err is SystemError {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * One line for a user: a named error as itself, a file-system error as what could not be done to which path, and
 * anything else as an internal error (its stack only with DEEP_SYMPHONY_DEBUG=1, so that no minified source scrolls by).
 */
export function describeError(err: unknown): string {
  if (isSystemError(err)) {
    const what = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'not permitted', EISDIR: 'is a folder', ENOTDIR: 'not a folder', ENOSPC: 'the disk is full', EEXIST: 'already exists' }[err.code] ?? err.code;
    return `${err.syscall ? `cannot ${err.syscall}` : 'file error'}${err.path ? ` "${err.path}"` : ''}: ${what}`;
  }
  if (err instanceof Error && (err instanceof StudioError || err.name !== 'Error')) return `${err.name}: ${firstLine(err.message)}`;
  const message = err instanceof Error ? err.message : String(err);
  return `internal error: ${firstLine(message)} (run with DEEP_SYMPHONY_DEBUG=1 for details)`;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function nodeIO(): CliIO {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    progress(text) {
      if (tty) process.stderr.write(`\r${text.slice(0, (process.stderr.columns || 80) - 1).padEnd(Math.min(79, (process.stderr.columns || 80) - 1))}`);
      else if (Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        process.stderr.write(text + '\n');
      }
    },
    signal: controller.signal,
  };
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  main(process.argv.slice(2), nodeIO()).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`deep-symphony: ${describeError(err)}`);
      process.exit(70);
    },
  );
}
