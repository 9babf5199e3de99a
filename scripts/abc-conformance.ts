// Compares every tune of folders of .abc files with abc2midi, note for note, and prints the share agreeing with the causes grouped.
// Run: npx tsx scripts/abc-conformance.ts <folder or .abc file>... [--no-graces] [--examples 3] [--list] [--min 0.997]
//   --no-graces  compare graces: false with abc2midi -NGRA (the way issue 11's first measurements were taken)
//   --examples   differing tunes shown per cause; --list shows every one
//   --min        exit with status 1 when a folder's share is below this (for CI or a before/after check)
//   --mutate N   instead, compare N variants of the tunes with ornaments, graces, broken rhythm, ties, tuplets and
//                inline fields put before random notes (--seed S, --marks '~,T,{g},...'): a differential fuzz
// The method (melody pitch, onset and end against abc2midi -NGUI with %%MIDI chordattack 0) is in docs/abc.md.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { conformance, type TuneResult } from '../src/main/music/abc/abc2midi';
import { splitTunes } from '../src/main/music/abc/parse';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'no-graces': { type: 'boolean', default: false },
    examples: { type: 'string', default: '3' },
    list: { type: 'boolean', default: false },
    min: { type: 'string' },
    parallel: { type: 'string', default: '2' },
    mutate: { type: 'string' },
    seed: { type: 'string', default: '1' },
    marks: { type: 'string', default: "~,T,R,{g},{/a},{gf},{[ce]},>,<,>>,(3,-,[K:Dmix],[L:1/16],!breath!,z,.,H,[Q:1/4=80],(,),[1,|,[CE],!trill!,u,v" },
  },
});
if (positionals.length === 0) {
  console.error('usage: npx tsx scripts/abc-conformance.ts <folder or .abc file>... [--no-graces] [--examples N] [--list] [--min SHARE]');
  process.exit(2);
}

/** The .abc files under a path, in a stable order. */
function abcFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? abcFiles(join(path, e.name)) : e.name.toLowerCase().endsWith('.abc') ? [join(path, e.name)] : []));
}

const describe = (r: TuneResult): string => `${r.file} X:${r.referenceNumber}${r.title ? ` "${r.title}"` : ''}: ${r.difference ?? ''}`;

/**
 * Variants of the tunes under the paths: each note gets, with chance 1/4, one of the marks written before it.
 * A linear congruential generator from --seed makes a run repeatable.
 */
function mutants(paths: string[], count: number, seed: number, marks: string[]): string[] {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const tunes = paths.flatMap(abcFiles).flatMap((f) => splitTunes(readFileSync(f, 'utf8')).map((t) => [`X:1`, ...t.lines.map((l) => l.text)]));
  return Array.from({ length: count }, () => {
    const lines = [...tunes[Math.floor(rnd() * tunes.length)]!];
    const k = lines.findIndex((l) => /^K:/.test(l));
    for (let i = k + 1; i < lines.length; i++) {
      if (/^[A-Za-z]:/.test(lines[i]!) || lines[i]!.startsWith('%')) continue;
      lines[i] = lines[i]!.replace(/(^|[\s|:\]])([=_^]?[A-Ga-g])/g, (m, before: string, note: string) => (rnd() < 0.25 ? before + marks[Math.floor(rnd() * marks.length)]! + note : m));
    }
    return `${lines.join('\n')}\n`;
  });
}

let failed = false;
if (values.mutate !== undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'abc-mutants-'));
  const texts = mutants(positionals, Number(values.mutate), Number(values.seed), values.marks.split(','));
  texts.forEach((text, i) => writeFileSync(join(dir, `mutant${i}.abc`), text));
  console.log(`${texts.length} mutants of the tunes in ${positionals.join(', ')} (seed ${values.seed}, marks ${values.marks})`);
  const agreed = await report(dir);
  // The differing mutants stay for a look; a clean run leaves nothing behind.
  if (agreed) rmSync(dir, { recursive: true, force: true });
  else console.log(`  the mutants are in ${dir}`);
} else {
  for (const path of positionals) await report(path);
}
process.exit(failed ? 1 : 0);

/** Prints the share and causes of the .abc files under `path`; true when every tune agrees. */
async function report(path: string): Promise<boolean> {
  const files = abcFiles(path);
  const t0 = Date.now();
  const report = await conformance(files, { graces: !values['no-graces'], parallel: Number(values.parallel) });
  const share = report.tunes === 0 ? 0 : report.matched / report.tunes;
  console.log(`${path}: ${report.matched}/${report.tunes} tunes agree with abc2midi (${(share * 100).toFixed(2)}%), ${files.length} files, ${((Date.now() - t0) / 1000).toFixed(1)} s${values['no-graces'] ? ', grace notes left out on both sides (-NGRA)' : ''}`);
  const shown = values.list ? Infinity : Number(values.examples);
  for (const { cause, tunes } of report.causes) {
    console.log(`  ${tunes.length.toString().padStart(5)}  ${cause}`);
    for (const r of tunes.slice(0, shown)) console.log(`           ${describe(r)}`);
  }
  if (values.min !== undefined && share < Number(values.min)) {
    console.log(`  below the required share ${values.min}`);
    failed = true;
  }
  return report.matched === report.tunes;
}
