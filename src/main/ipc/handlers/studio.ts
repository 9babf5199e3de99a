// Handlers for the studio domain: file import/export and plagiarism scores (on the model worker), and project storage.
import type { studioApi } from '../../../shared/api/studio';
import type { Handlers } from '../../../shared/api/define';
import type { Engine } from '../../engine';
import { ProjectStore } from '../../studio/projects';
import { UploadStore } from '../../studio/uploads';

export function studioHandlers(engine: Engine): Handlers<{ studio: typeof studioApi }>['studio'] {
  const projects = new ProjectStore(engine.paths.userData);
  // Parsing, scoring and writing music run on the model worker, never on this request thread.
  const host = engine.host;
  // Every imported file, sent whole or in chunks, ends in this one call.
  const importBytes = (name: string, bytes: Uint8Array) => host.call({ op: 'importFile', fileName: name, bytes });
  const uploads = new UploadStore();
  return {
    importFile: async (name, data) => importBytes(name, Buffer.from(data, 'base64')),
    beginUpload: (name, size) => uploads.begin(name, size),
    uploadChunk: (id, offset, data) => uploads.append(id, offset, Buffer.from(data, 'base64')),
    finishUpload: async (id) => importBytes(...uploads.take(id)),
    cancelUpload: (id) => uploads.cancel(id),
    exportMidi: async (seq, opts) => Buffer.from(await host.call({ op: 'exportMidi', sequence: seq, ...(opts?.title ? { title: opts.title } : {}) })).toString('base64'),
    exportAbc: (seq, opts) => host.call({ op: 'exportAbc', sequence: seq, ...(opts?.title ? { title: opts.title } : {}) }),
    plagiarism: (seq) => host.call({ op: 'plagiarism', sequence: seq }),
    listProjects: () => projects.list(),
    saveProject: (name, project) => projects.save(name, project),
    openProject: (name) => projects.open(name),
    deleteProject: (name) => projects.remove(name),
    autosave: (project) => projects.autosave(project),
    recovery: () => projects.recovery(),
    clearRecovery: () => projects.clearRecovery(),
  };
}
