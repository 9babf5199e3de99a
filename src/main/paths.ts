// Where the studio keeps things: shipped resources, the user's data, caches. Overridable for tests.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StudioPaths {
  /** Read-only files shipped with the app (default models, samples). */
  resources: string;
  /** The user's own data: trained models, projects, autosave. */
  userData: string;
  /** Rebuildable caches (tokenized datasets). */
  cache: string;
}

/** The repository root when running from sources or from out/ (both are two levels below it). */
export const appRoot = fileURLToPath(new URL('../../', import.meta.url));

export function defaultPaths(): StudioPaths {
  const home = homedir();
  return {
    resources: process.env.DEEP_SYMPHONY_RESOURCES ?? join(appRoot, 'resources'),
    userData: process.env.DEEP_SYMPHONY_HOME ?? join(home, '.deep-symphony'),
    cache: process.env.DEEP_SYMPHONY_CACHE ?? join(home, '.cache', 'deep-symphony'),
  };
}
