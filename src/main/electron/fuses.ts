// Electron fuses of the packaged studio: which runtime features are burnt off in the binary, and the code that flips them.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../shared/errors';

/**
 * The fuse wire as Electron lays it out (version 1): the sentinel below, then a version byte, a length byte and one
 * byte per fuse, '0' off, '1' on, 'r' removed. The order is Electron's and never changes; new fuses are appended.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_WIRE_VERSION = 1;
export const FUSE_ORDER = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
  'WasmTrapHandlers',
] as const;
export type FuseName = (typeof FUSE_ORDER)[number];

/**
 * The studio's fuses, each with why. The engine runs in the main process and worker threads only: it never starts
 * itself as Node, needs no NODE_OPTIONS or inspector, and serves its UI from app://, never file://.
 */
export const STUDIO_FUSES: Readonly<Record<FuseName, boolean>> = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node interpreter.
  RunAsNode: false,
  EnableCookieEncryption: true,
  // NODE_OPTIONS (--require ...) and --inspect would let anything that can set the environment run code inside the app.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // The app code is read from app.asar only, and checked against its hash (macOS and Windows; ignored on Linux).
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
  // TensorFlow.js's wasm backend runs faster with the trap handlers; they are on in stock Electron.
  WasmTrapHandlers: true,
};

/** A binary without a fuse wire, with a wire of another version, or one we do not know how to set. */
export class FuseWireError extends StudioError {}

const OFF = 0x30;
const ON = 0x31;
const REMOVED = 0x72;

export type FuseState = 'on' | 'off' | 'removed';

function sentinelsIn(bytes: Buffer): number[] {
  const needle = Buffer.from(FUSE_SENTINEL, 'latin1');
  const found: number[] = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** The new wire bytes for one wire, or an error saying why that wire cannot be set. */
export function flipWire(wire: Uint8Array, fuses: Readonly<Partial<Record<FuseName, boolean>>>, where: string): Uint8Array {
  const version = wire[0];
  const length = wire[1] ?? 0;
  if (version !== FUSE_WIRE_VERSION) throw new FuseWireError(`${where}: fuse wire version ${version}, expected ${FUSE_WIRE_VERSION}`);
  const out = Uint8Array.from(wire);
  for (const [name, value] of Object.entries(fuses) as [FuseName, boolean][]) {
    const index = FUSE_ORDER.indexOf(name);
    if (index < 0) throw new FuseWireError(`${where}: unknown fuse "${name}"`);
    if (index >= length) throw new FuseWireError(`${where}: the binary's fuse wire has ${length} fuses, too few for ${name}`);
    if (out[2 + index] === REMOVED) continue;
    out[2 + index] = value ? ON : OFF;
  }
  return out;
}

function readState(wire: Uint8Array): Partial<Record<FuseName, FuseState>> {
  const state: Partial<Record<FuseName, FuseState>> = {};
  const length = wire[1] ?? 0;
  FUSE_ORDER.forEach((name, i) => {
    if (i >= length) return;
    const b = wire[2 + i];
    state[name] = b === ON ? 'on' : b === REMOVED ? 'removed' : 'off';
  });
  return state;
}

/**
 * Sets the fuses in an Electron binary (every copy of the wire: a universal macOS binary has two). All wires are
 * checked before any byte is written, so a refused binary is left as it was.
 * @returns the state read back from the file afterwards
 * @throws FuseWireError
 */
export async function flipFuses(file: string, fuses: Readonly<Partial<Record<FuseName, boolean>>> = STUDIO_FUSES): Promise<Partial<Record<FuseName, FuseState>>> {
  const handle = await open(file, 'r+');
  try {
    // Electron binaries are 100-200 MB: reading one whole is simpler than a streamed scan and fine at packaging time.
    const bytes = await handle.readFile();
    const at = sentinelsIn(bytes);
    if (at.length === 0) throw new FuseWireError(`${file}: no fuse wire found (not an Electron 12+ binary)`);
    if (at.length > 2) throw new FuseWireError(`${file}: ${at.length} fuse wires found, at most 2 expected`);
    const writes = at.map((s) => {
      const start = s + FUSE_SENTINEL.length;
      const length = bytes[start + 1] ?? 0;
      return { position: start, wire: flipWire(bytes.subarray(start, start + 2 + length), fuses, file) };
    });
    for (const w of writes) await handle.write(w.wire, 0, w.wire.length, w.position);
    return readState(writes[0]!.wire);
  } finally {
    await handle.close();
  }
}

/** The fuses as they are set in a binary now. */
export async function readFuses(file: string): Promise<Partial<Record<FuseName, FuseState>>> {
  const handle = await open(file, 'r');
  try {
    const bytes = await handle.readFile();
    const [s] = sentinelsIn(bytes);
    if (s === undefined) throw new FuseWireError(`${file}: no fuse wire found (not an Electron 12+ binary)`);
    const start = s + FUSE_SENTINEL.length;
    return readState(bytes.subarray(start, start + 2 + (bytes[start + 1] ?? 0)));
  } finally {
    await handle.close();
  }
}

/**
 * The file that holds the fuse wire in a packaged app, from what electron-builder's afterPack hook is told: on
 * macOS the wire is in the Electron Framework, elsewhere in the executable.
 */
export function fuseFileOf(pack: { platform: string; appOutDir: string; productFilename: string; executableName?: string }): string {
  switch (pack.platform) {
    case 'darwin':
    case 'mas':
      return join(pack.appOutDir, `${pack.productFilename}.app`, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
    case 'win32':
      return join(pack.appOutDir, `${pack.productFilename}.exe`);
    default:
      return join(pack.appOutDir, pack.executableName ?? pack.productFilename);
  }
}
