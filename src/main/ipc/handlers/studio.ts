// Handlers for the studio domain: file import/export, plagiarism scores and project storage.
import type { studioApi } from '../../../shared/api/studio';
import type { Handlers } from '../../../shared/api/define';
import type { Engine } from '../../engine';
import type { StudioService } from '../../studio/service';

export function studioHandlers(engine: Engine): Handlers<{ studio: typeof studioApi }>['studio'] {
  // Loaded on first use: the MIDI, ABC and plagiarism code need not slow down start-up.
  let service: Promise<StudioService> | undefined;
  const get = () => (service ??= import('../../studio/service').then((m) => new m.StudioService(engine.paths)));
  return {
    importFile: async (name, data) => (await get()).importFile(name, Buffer.from(data, 'base64')),
    exportMidi: async (seq, opts) => Buffer.from(await (await get()).exportMidi(seq, opts?.title)).toString('base64'),
    exportAbc: async (seq, opts) => (await get()).exportAbc(seq, opts?.title),
    plagiarism: async (seq) => (await get()).plagiarism(seq),
    listProjects: async () => (await get()).projects.list(),
    saveProject: async (name, project) => (await get()).projects.save(name, project),
    openProject: async (name) => (await get()).projects.open(name),
    deleteProject: async (name) => (await get()).projects.remove(name),
    autosave: async (project) => (await get()).projects.autosave(project),
    recovery: async () => (await get()).projects.recovery(),
    clearRecovery: async () => (await get()).projects.clearRecovery(),
  };
}
