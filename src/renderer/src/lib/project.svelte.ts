// The open project in the renderer: fragments, arrangement and settings, a dirty flag, autosave, recovery, save and open.
import { emptyGenerateSettings, emptyProject, type ArrangementSection, type Fragment, type FragmentOrigin, type Project } from '../../../shared/studio';
import type { ScoreGrid } from '../../../shared/score';
import type { NoteSequence } from '../../../shared/song';
import type { ProjectEntry } from '../../../shared/api/studio';
import { asFragmentId, asSectionId, type FragmentId, type SectionId } from '../../../shared/units';
import { insertItem, moveItem, nextLabel } from '../../../shared/arrange';
import { studio } from './studio.svelte';
import { toasts } from './toasts.svelte';

const AUTOSAVE_MS = 4000;

const newId = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 13)}`;

/** Fills in what projects saved by older versions lack, so that the UI can read settings without writing them. */
function withDefaults(p: Project): Project {
  p.settings.generate ??= emptyGenerateSettings();
  return p;
}

/** A form value left unset is left out: the project file holds only what the composer chose. */
function setValuesOnly(values: Record<string, Record<string, string | number | boolean | undefined>>): Record<string, Record<string, string | number | boolean>> {
  const out: Record<string, Record<string, string | number | boolean>> = {};
  for (const [model, form] of Object.entries(values)) {
    const kept: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) kept[k] = v;
    out[model] = kept;
  }
  return out;
}

class ProjectStore {
  project = $state<Project>(withDefaults(emptyProject()));
  dirty = $state(false);
  /** The name the project was last saved or opened under; null for a new project. */
  savedName = $state<string | null>(null);
  selectedId = $state<FragmentId | null>(null);
  /** Unsaved work found at start-up, waiting for the composer to restore or discard it. */
  recovered = $state<Project | null>(null);
  lastAutosave = $state<number | null>(null);
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The autosave on its way to the engine, if any: save() waits for it so that it cannot land after the clear. */
  private autosaving: Promise<void> | null = null;
  private saving = false;

  selected: Fragment | null = $derived(this.project.fragments.find((f) => f.id === this.selectedId) ?? null);

  /** Asks the engine for unsaved work from a previous session, then autosaves every few seconds while dirty. */
  async start(): Promise<void> {
    try {
      this.recovered = await studio.api.studio.recovery();
    } catch (err) {
      toasts.error('Could not check for unsaved work', err);
    }
    this.timer ??= setInterval(() => void this.autosave(), AUTOSAVE_MS);
  }

  async autosave(): Promise<void> {
    if (!this.dirty || this.autosaving || this.saving || this.recovered) return;
    this.autosaving = (async () => {
      try {
        // The autosave remembers which saved project it belongs to (restoreRecovered reads it back).
        await studio.api.studio.autosave({ ...this.snapshot(), savedAs: this.savedName });
        this.lastAutosave = Date.now();
      } catch (err) {
        toasts.error('Autosave failed', err);
      }
    })();
    try {
      await this.autosaving;
    } finally {
      this.autosaving = null;
    }
  }

  /**
   * Brings back the autosaved work. When it is a saved project's later state (the autosave names it, and that
   * project is still there), it is still that project: Ctrl+S saves over it without asking.
   */
  async restoreRecovered(): Promise<void> {
    const r = this.recovered;
    if (!r) return;
    this.recovered = null;
    this.replace(r, null);
    const replaced = this.replacements;
    this.dirty = true;
    try {
      const savedAs = r.savedAs;
      const saved = savedAs ? (await this.list()).find((e) => e.name === savedAs) : undefined;
      // Only if no other project was opened meanwhile.
      if (saved && this.replacements === replaced) this.savedName = saved.name;
    } catch {
      // Without the list the next save asks for a name, as for a new project.
    }
  }

  async discardRecovered(): Promise<void> {
    this.recovered = null;
    try {
      await studio.api.studio.clearRecovery();
    } catch (err) {
      toasts.error('Could not forget the unsaved work', err);
    }
  }

  newProject(name = 'Untitled'): void {
    this.replace(emptyProject(name), null);
  }

  async list(): Promise<ProjectEntry[]> {
    return studio.api.studio.listProjects();
  }

  /** Saves under `name` (the current name by default) and forgets the autosave, which is now redundant. */
  async save(name: string = this.project.name): Promise<void> {
    this.saving = true;
    try {
      await this.autosaving;
      this.project.name = name;
      this.project.savedAt = Date.now();
      await studio.api.studio.saveProject(name, this.snapshot());
      this.savedName = name;
      this.dirty = false;
      await studio.api.studio.clearRecovery();
    } finally {
      this.saving = false;
    }
    toasts.push('ok', `Saved “${name}”`);
  }

  async open(name: string): Promise<void> {
    const p = await studio.api.studio.openProject(name);
    this.replace(p, name);
  }

  async remove(name: string): Promise<void> {
    await studio.api.studio.deleteProject(name);
  }

  /** A plain copy for the bridge (Svelte state proxies do not serialize as such everywhere). */
  snapshot(): Project {
    const p = $state.snapshot(this.project) as Project;
    delete p.savedAs;
    if (p.settings.generate) p.settings.generate = { ...p.settings.generate, values: setValuesOnly(p.settings.generate.values) };
    return p;
  }

  /** Counts the projects taken in (new, open, restore), so that a late answer can tell it is still about this one. */
  private replacements = 0;

  private replace(p: Project, savedName: string | null): void {
    this.replacements++;
    this.project = withDefaults(p);
    this.savedName = savedName;
    this.dirty = false;
    this.selectedId = p.fragments[0]?.id ?? null;
  }

  touch(): void {
    this.dirty = true;
  }

  // Fragments -------------------------------------------------------------

  fragment(id: FragmentId | null): Fragment | undefined {
    return id === null ? undefined : this.project.fragments.find((f) => f.id === id);
  }

  /** Adds fragments to the top of the library and selects the first. */
  addFragment(name: string, sequence: NoteSequence, origin: FragmentOrigin, plagiarism: Fragment['plagiarism'] = null): Fragment {
    const f: Fragment = { id: asFragmentId(newId('frag')), name, createdAt: Date.now(), origin, sequence, plagiarism };
    this.project.fragments.unshift(f);
    this.selectedId = f.id;
    this.touch();
    return f;
  }

  /** Keeps fragments that already have ids (from an import), giving fresh ids where one is taken. */
  adoptFragments(list: Fragment[]): void {
    const taken = new Set(this.project.fragments.map((f) => f.id));
    const fresh = list.map((f) => (taken.has(f.id) ? { ...f, id: asFragmentId(newId('frag')) } : f));
    this.project.fragments.unshift(...fresh);
    if (fresh[0]) this.selectedId = fresh[0].id;
    this.touch();
  }

  rename(id: FragmentId, name: string): void {
    const f = this.fragment(id);
    if (!f || !name.trim()) return;
    f.name = name.trim();
    this.touch();
  }

  setSequence(id: FragmentId, sequence: NoteSequence): void {
    const f = this.fragment(id);
    if (!f) return;
    f.sequence = sequence;
    // An edit makes the old plagiarism score stale.
    f.plagiarism = null;
    this.touch();
  }

  /** `quiet`: a score checked again by itself is derived data, not a change the composer has to save. */
  setPlagiarism(id: FragmentId, summary: Fragment['plagiarism'], options: { quiet?: boolean } = {}): void {
    const f = this.fragment(id);
    if (!f) return;
    f.plagiarism = summary;
    if (!options.quiet) this.touch();
  }

  duplicate(id: FragmentId): void {
    const f = this.fragment(id);
    if (!f) return;
    const copy = $state.snapshot(f) as Fragment;
    const i = this.project.fragments.findIndex((x) => x.id === id);
    const dup: Fragment = { ...copy, id: asFragmentId(newId('frag')), name: `${f.name} (copy)`, createdAt: Date.now(), origin: { kind: 'edited', from: f.id } };
    this.project.fragments.splice(i + 1, 0, dup);
    this.selectedId = dup.id;
    this.touch();
  }

  /** Deletes a fragment; sections that used it become empty rather than vanishing from the form. */
  deleteFragment(id: FragmentId): void {
    const i = this.project.fragments.findIndex((f) => f.id === id);
    if (i < 0) return;
    this.project.fragments.splice(i, 1);
    for (const s of this.project.arrangement.sections) if (s.fragmentId === id) s.fragmentId = null;
    if (this.selectedId === id) this.selectedId = this.project.fragments[Math.min(i, this.project.fragments.length - 1)]?.id ?? null;
    this.touch();
  }

  // Arrangement -----------------------------------------------------------

  section(id: SectionId): ArrangementSection | undefined {
    return this.project.arrangement.sections.find((s) => s.id === id);
  }

  addSection(fragmentId: FragmentId | null = null): ArrangementSection {
    const s: ArrangementSection = {
      id: asSectionId(newId('sec')),
      label: nextLabel(this.project.arrangement.sections.map((x) => x.label)),
      fragmentId,
      transpose: 0,
      voicing: 'as-is',
    };
    this.project.arrangement.sections.push(s);
    this.touch();
    return s;
  }

  updateSection(id: SectionId, patch: Partial<Omit<ArrangementSection, 'id'>>): void {
    const s = this.section(id);
    if (!s) return;
    Object.assign(s, patch);
    this.touch();
  }

  /** Removes a section and every slot of the form that plays it. */
  removeSection(id: SectionId): void {
    const a = this.project.arrangement;
    a.sections = a.sections.filter((s) => s.id !== id);
    a.form = a.form.filter((x) => x !== id);
    this.touch();
  }

  placeInForm(id: SectionId, at: number = this.project.arrangement.form.length): void {
    this.project.arrangement.form = insertItem(this.project.arrangement.form, id, at);
    this.touch();
  }

  moveInForm(from: number, to: number): void {
    this.project.arrangement.form = moveItem(this.project.arrangement.form, from, to);
    this.touch();
  }

  /** Plays the slot's section once more, right after it. */
  repeatInForm(index: number): void {
    const id = this.project.arrangement.form[index];
    if (id !== undefined) this.placeInForm(id, index + 1);
  }

  removeFromForm(index: number): void {
    this.project.arrangement.form = this.project.arrangement.form.filter((_, i) => i !== index);
    this.touch();
  }

  setScoreGrid(grid: ScoreGrid): void {
    this.project.settings.scoreGrid = grid;
    this.touch();
  }

  setBpm(bpm: number): void {
    this.project.settings.bpm = bpm;
    this.touch();
  }
}

export const projectStore = new ProjectStore();
