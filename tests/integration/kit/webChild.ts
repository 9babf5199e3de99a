// A web-mode engine in its own process, for tests that must see it die if it does: prints one JSON line with its address, then serves.
// Run: node --import tsx tests/integration/kit/webChild.ts <userData folder> <renderer folder> [token]
import { startWebStudio } from '../../../src/main/web/main';

const [userData, rendererDir, token] = process.argv.slice(2);
if (!userData || !rendererDir) {
  console.error('usage: webChild.ts <userData folder> <renderer folder> [token]');
  process.exit(2);
}
const studio = await startWebStudio({ rendererDir, token, paths: { userData, cache: `${userData}/cache` } });
console.log(JSON.stringify({ origin: studio.server.origin, token: studio.server.token, pid: process.pid }));
const stop = () => void studio.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
