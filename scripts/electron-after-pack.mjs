// electron-builder afterPack hook (and a command): burns the studio's Electron fuses (src/main/electron/fuses.ts) into the packaged binary.
// As a hook: "afterPack": "./scripts/electron-after-pack.mjs" in the electron-builder config; it runs before signing.
// As a command: node scripts/electron-after-pack.mjs <Electron binary or framework file> [--check]
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const fuses = await import(new URL('../src/main/electron/fuses.ts', import.meta.url).href);

/** @param {{ electronPlatformName: string, appOutDir: string, packager: { appInfo: { productFilename: string }, executableName?: string } }} context */
export default async function afterPack(context) {
  const file = fuses.fuseFileOf({
    platform: context.electronPlatformName,
    appOutDir: context.appOutDir,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  });
  const state = await fuses.flipFuses(file);
  console.log(`fuses set in ${file}: ${JSON.stringify(state)}`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [file, flag] = process.argv.slice(2);
  if (!file) {
    console.error(`usage: node ${fileURLToPath(import.meta.url)} <Electron binary> [--check]`);
    process.exit(2);
  }
  try {
    const state = flag === '--check' ? await fuses.readFuses(file) : await fuses.flipFuses(file);
    console.log(JSON.stringify(state, null, 2));
  } catch (err) {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    process.exit(1);
  }
}
