// Checks of the files a command line names, done before any work: an output that cannot be written fails at once.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './command';

/** The absolute path of an output file whose folder exists and is writable, and which is not a folder itself. */
export async function checkWritableFile(path: string, flag: string): Promise<string> {
  const file = resolve(path);
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`${flag} "${path}" is a folder; give a file name, e.g. ${resolve(file, 'song.mid')}`);
  const dir = dirname(file);
  const parent = await stat(dir).catch(() => null);
  if (!parent) throw new UsageError(`${flag}: the folder "${dir}" does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${flag}: "${dir}" is not a folder`);
  try {
    await access(existing ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: "${existing ? file : dir}" is not writable`);
  }
  return file;
}

/** The absolute path of an input file that exists, is a file and is readable. */
export async function checkReadableFile(path: string, flag: string): Promise<string> {
  const file = resolve(path);
  const s = await stat(file).catch(() => null);
  if (!s) throw new UsageError(`${flag}: no file "${path}"`);
  if (!s.isFile()) throw new UsageError(`${flag}: "${path}" is not a file`);
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new UsageError(`${flag}: "${path}" is not readable`);
  }
  return file;
}

/** The absolute path of an input folder that exists. */
export async function checkFolder(path: string, flag: string): Promise<string> {
  const dir = resolve(path);
  const s = await stat(dir).catch(() => null);
  if (!s) throw new UsageError(`${flag}: no folder "${path}"`);
  if (!s.isDirectory()) throw new UsageError(`${flag}: "${path}" is not a folder`);
  return dir;
}

/** The absolute path of an output folder: an existing writable folder, or one that can be made in a writable one. */
export async function checkOutputFolder(path: string, flag: string): Promise<string> {
  const dir = resolve(path);
  let probe = dir;
  for (;;) {
    const s = await stat(probe).catch(() => null);
    if (s) {
      if (!s.isDirectory()) throw new UsageError(`${flag}: "${probe}" is a file, not a folder`);
      try {
        await access(probe, constants.W_OK);
      } catch {
        throw new UsageError(`${flag}: "${probe}" is not writable`);
      }
      return dir;
    }
    const up = dirname(probe);
    if (up === probe) throw new UsageError(`${flag}: cannot make the folder "${dir}"`);
    probe = up;
  }
}
