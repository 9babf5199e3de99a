// Serves the studio in web mode and prints its address (with the per-launch token); `npm start -- --web` lands here.
import { parseArgs } from 'node:util';
import { startWebStudio } from '../src/main/web/main';

const { values } = parseArgs({ options: { port: { type: 'string' } }, allowPositionals: true });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}
const studio = await startWebStudio({ port });
const backend = await studio.engine.ready();
console.log(`Deep Symphony Studio is running in web mode (ML backend: ${backend.label}).`);
console.log(`Open ${studio.server.url}`);
console.log('Press Ctrl-C to stop.');
const stop = () => void studio.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
