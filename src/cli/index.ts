// The headless studio: `deep-symphony <command>` runs the same engine as the app.
import { StudioError } from '../shared/errors';
import { UsageError, type CliCommand, type CliIO } from './command';
import { infoCommand } from './commands/info';
import { trainCommand } from './commands/train';
import { generateCommand } from './commands/generate';
import { evaluateCommand } from './commands/evaluate';
import { importCommand } from './commands/import';

/** Every sub-command; later features add theirs here. */
export const commands: CliCommand[] = [infoCommand, trainCommand, generateCommand, evaluateCommand, importCommand];

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
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`deep-symphony ${name}: ${err.message}\nRun \`deep-symphony ${name} --help\` for usage.`);
      return 2;
    }
    if (err instanceof StudioError || (err instanceof Error && err.name !== 'Error')) {
      io.err(`deep-symphony ${name}: ${err.name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
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
      console.error(err);
      process.exit(1);
    },
  );
}
