// Handlers for the app domain: version, backend, devices, and where projects are kept.
import { join } from 'node:path';
import type { appApi } from '../../../shared/api/app';
import type { Handlers } from '../../../shared/api/define';
import type { Engine } from '../../engine';

export function appHandlers(engine: Engine): Handlers<{ app: typeof appApi }>['app'] {
  return {
    async info() {
      await engine.ready();
      return {
        name: 'Deep Symphony Studio',
        version: engine.version,
        mode: engine.mode,
        backend: engine.currentBackend(),
        devices: await engine.listDevices(),
        projectsDir: join(engine.paths.userData, 'projects'),
      };
    },
    echo: (text) => text,
    devices: () => engine.listDevices(true),
  };
}
