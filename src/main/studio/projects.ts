// Project files in the user's data folder, plus the autosave that lets the next start restore unsaved work.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { projectSchema, type ProjectEntry } from '../../shared/api/studio';
import { NotFoundError, StudioError } from '../../shared/errors';
import type { Project } from '../../shared/studio';
import { writeFileAtomic } from '../util/fs';

/** A project file that exists but cannot be read as a project. */
export class ProjectFormatError extends StudioError {}

const EXT = '.dsproj.json';

export class ProjectStore {
  private readonly dir: string;
  private readonly autosavePath: string;

  constructor(userData: string) {
    this.dir = join(userData, 'projects');
    this.autosavePath = join(userData, 'autosave' + EXT);
  }

  async list(): Promise<ProjectEntry[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries: ProjectEntry[] = [];
    for (const file of names.filter((n) => n.endsWith(EXT))) {
      try {
        const p = await this.read(join(this.dir, file));
        entries.push({ name: file.slice(0, -EXT.length), savedAt: p.savedAt, fragments: p.fragments.length });
      } catch {
        // A damaged file is listed by open(), which explains what is wrong; the list shows the readable ones.
      }
    }
    return entries.sort((a, b) => b.savedAt - a.savedAt);
  }

  async save(name: string, project: Project): Promise<ProjectEntry> {
    await mkdir(this.dir, { recursive: true });
    const saved: Project = { ...project, name, savedAt: Date.now() };
    await writeFileAtomic(this.path(name), JSON.stringify(saved));
    return { name, savedAt: saved.savedAt, fragments: saved.fragments.length };
  }

  async open(name: string): Promise<Project> {
    const file = this.path(name);
    if (!(await stat(file).catch(() => null))) throw new NotFoundError(`no project named "${name}"`);
    return this.read(file);
  }

  async remove(name: string): Promise<void> {
    const file = this.path(name);
    if (!(await stat(file).catch(() => null))) throw new NotFoundError(`no project named "${name}"`);
    await rm(file);
  }

  async autosave(project: Project): Promise<void> {
    await mkdir(join(this.autosavePath, '..'), { recursive: true });
    await writeFileAtomic(this.autosavePath, JSON.stringify({ ...project, savedAt: Date.now() }));
  }

  async recovery(): Promise<Project | null> {
    if (!(await stat(this.autosavePath).catch(() => null))) return null;
    try {
      return await this.read(this.autosavePath);
    } catch {
      return null;
    }
  }

  async clearRecovery(): Promise<void> {
    await rm(this.autosavePath, { force: true });
  }

  private path(name: string): string {
    return join(this.dir, name + EXT);
  }

  private async read(file: string): Promise<Project> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new ProjectFormatError(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = projectSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ProjectFormatError(`${file} is not a Deep Symphony project: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`);
    }
    return parsed.data;
  }
}
