// Project files in the user's data folder, plus the autosave that lets the next start restore unsaved work.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { projectSchema, type ProjectEntry } from '../../shared/api/studio';
import { NotFoundError, StudioError } from '../../shared/errors';
import { projectNameProblem } from '../../shared/names';
import type { Project } from '../../shared/studio';
import { removeStaleTempFiles, writeFileAtomic } from '../util/fs';

/** A project file that exists but cannot be read as a project. */
export class ProjectFormatError extends StudioError {}
/** A project name that cannot become a file name on every OS (too long in bytes, reserved, invisible characters). */
export class ProjectNameError extends StudioError {}
/** Something other than a project file is where the project should be (a folder of the same name). */
export class ProjectPathError extends StudioError {}

const EXT = '.dsproj.json';

function checkName(name: string): void {
  const problem = projectNameProblem(name);
  if (problem) throw new ProjectNameError(problem);
}

const fsCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

export class ProjectStore {
  private readonly dir: string;
  private readonly autosavePath: string;
  private swept: Promise<void> | undefined;

  constructor(private readonly userData: string) {
    this.dir = join(userData, 'projects');
    this.autosavePath = join(userData, 'autosave' + EXT);
  }

  /**
   * The first use after a start removes the temp files of saves that a kill or a power cut interrupted; the
   * project files themselves are whole, since every save is a rename over.
   */
  private sweep(): Promise<void> {
    this.swept ??= (async () => {
      await removeStaleTempFiles(this.dir, (target) => target.endsWith(EXT));
      await removeStaleTempFiles(this.userData, (target) => target === 'autosave' + EXT);
    })();
    return this.swept;
  }

  async list(): Promise<ProjectEntry[]> {
    await this.sweep();
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
    checkName(name);
    await this.sweep();
    await mkdir(this.dir, { recursive: true });
    const saved: Project = { ...project, name, savedAt: Date.now() };
    await this.write(this.path(name), JSON.stringify(saved), `project "${name}"`);
    return { name, savedAt: saved.savedAt, fragments: saved.fragments.length };
  }

  async open(name: string): Promise<Project> {
    checkName(name);
    await this.sweep();
    return this.read(await this.existing(name));
  }

  async remove(name: string): Promise<void> {
    checkName(name);
    await this.sweep();
    await rm(await this.existing(name));
  }

  async autosave(project: Project): Promise<void> {
    await this.sweep();
    await mkdir(this.userData, { recursive: true });
    await this.write(this.autosavePath, JSON.stringify({ ...project, savedAt: Date.now() }), 'the autosave');
  }

  async recovery(): Promise<Project | null> {
    await this.sweep();
    if (!(await stat(this.autosavePath).catch(() => null))) return null;
    try {
      return await this.read(this.autosavePath);
    } catch {
      return null;
    }
  }

  async clearRecovery(): Promise<void> {
    await this.sweep();
    await rm(this.autosavePath, { force: true });
  }

  private path(name: string): string {
    return join(this.dir, name + EXT);
  }

  /** The file of an existing project, or a named error saying what is there instead. */
  private async existing(name: string): Promise<string> {
    const file = this.path(name);
    const info = await stat(file).catch(() => null);
    if (!info) throw new NotFoundError(`no project named "${name}"`);
    if (!info.isFile()) throw new ProjectPathError(`project "${name}" cannot be opened: a folder named "${name + EXT}" is in the projects folder`);
    return file;
  }

  private async write(file: string, json: string, what: string): Promise<void> {
    const fileName = basename(file);
    if ((await stat(file).catch(() => null))?.isDirectory()) {
      throw new ProjectPathError(`cannot save ${what}: a folder named "${fileName}" is in the way`);
    }
    try {
      await writeFileAtomic(file, json);
    } catch (err) {
      // Raced with a folder appearing, or a name the file system still refuses: said plainly, without the full path.
      const code = fsCode(err);
      if (code === 'EISDIR' || code === 'ENOTDIR') throw new ProjectPathError(`cannot save ${what}: a folder named "${fileName}" is in the way`, { cause: err });
      if (code === 'ENAMETOOLONG') throw new ProjectNameError(`cannot save ${what}: the file system refuses a name this long`, { cause: err });
      throw err;
    }
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
