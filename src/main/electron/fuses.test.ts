// The fuse configuration is complete and safe, and the flipper sets it in a binary laid out as Electron's is, or refuses whole.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUSE_ORDER, FUSE_SENTINEL, flipFuses, fuseFileOf, readFuses, STUDIO_FUSES } from './fuses';

/** A stand-in binary: junk, the sentinel and a wire of `fuses` (as stock Electron ships them), more junk. */
function fakeBinary(wire: string, version = 1, copies = 1): Buffer {
  const part = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'latin1'), Buffer.from([version, wire.length]), Buffer.from(wire, 'latin1')]);
  const junk = Buffer.alloc(4096, 0xcc);
  return Buffer.concat([junk, ...Array.from({ length: copies }, () => Buffer.concat([part, junk]))]);
}

// The defaults Electron documents for its fuses, in FUSE_ORDER: run-as-Node, NODE_OPTIONS, inspector, file:// and wasm traps on.
const STOCK_WIRE = '101100011';

describe('Electron fuses', () => {
  it('sets every fuse Electron 41 has, with the run-as-Node, NODE_OPTIONS and inspector doors shut', () => {
    expect(Object.keys(STUDIO_FUSES).sort()).toEqual([...FUSE_ORDER].sort());
    expect(STUDIO_FUSES).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      GrantFileProtocolExtraPrivileges: false,
      EnableCookieEncryption: true,
    });
  });

  it('flips the wire in a binary, both copies of a universal one, and touches no other byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-fuses-'));
    const file = join(dir, 'electron');
    const before = fakeBinary(STOCK_WIRE, 1, 2);
    await writeFile(file, before);
    const state = await flipFuses(file);
    expect(state).toEqual(Object.fromEntries(FUSE_ORDER.map((n) => [n, STUDIO_FUSES[n] ? 'on' : 'off'])));
    expect(await readFuses(file)).toEqual(state);
    const after = await readFile(file);
    expect(after.length).toBe(before.length);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    // Seven of the nine change (V8 snapshot and wasm traps stay as they were), once per copy.
    expect(changed.length).toBe(2 * [...STOCK_WIRE].filter((c, i) => (c === '1') !== STUDIO_FUSES[FUSE_ORDER[i]!]).length);
    expect(after.toString('latin1')).toContain(`${FUSE_SENTINEL}\u0001\u0009010011001`);
  });

  it('leaves a removed fuse removed and refuses an unknown wire without writing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ds-fuses-'));
    const removed = join(dir, 'removed');
    await writeFile(removed, fakeBinary('r01100011'));
    expect((await flipFuses(removed)).RunAsNode).toBe('removed');
    const v2 = join(dir, 'v2');
    await writeFile(v2, fakeBinary(STOCK_WIRE, 2));
    await expect(flipFuses(v2)).rejects.toMatchObject({ name: 'FuseWireError', message: expect.stringMatching(/version 2/) });
    expect(await readFile(v2)).toEqual(fakeBinary(STOCK_WIRE, 2));
    const short = join(dir, 'short');
    await writeFile(short, fakeBinary('1010'));
    await expect(flipFuses(short)).rejects.toMatchObject({ name: 'FuseWireError', message: expect.stringMatching(/4 fuses/) });
    const none = join(dir, 'none');
    await writeFile(none, Buffer.alloc(1000));
    await expect(flipFuses(none)).rejects.toMatchObject({ name: 'FuseWireError', message: expect.stringMatching(/no fuse wire/) });
  });

  it('finds the file that holds the wire on each platform', () => {
    expect(fuseFileOf({ platform: 'linux', appOutDir: '/o', productFilename: 'Deep Symphony Studio', executableName: 'deep-symphony-studio' })).toBe('/o/deep-symphony-studio');
    expect(fuseFileOf({ platform: 'win32', appOutDir: '/o', productFilename: 'Deep Symphony Studio' })).toBe('/o/Deep Symphony Studio.exe');
    expect(fuseFileOf({ platform: 'darwin', appOutDir: '/o', productFilename: 'Deep Symphony Studio' })).toBe(
      '/o/Deep Symphony Studio.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
    );
  });
});
