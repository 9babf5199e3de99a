#!/usr/bin/env node
// Runs the CLI from TypeScript sources through tsx, so `npx deep-symphony` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main, nodeIO } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2), nodeIO());
// Native handles (a wasm thread pool, a serial port) must not keep a finished command alive.
setTimeout(() => process.exit(), 500).unref();
