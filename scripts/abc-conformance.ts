import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import midiPkg from '@tonejs/midi';
import { parseAbcFile } from '../src/main/music/abc/parse';
const { Midi } = midiPkg as unknown as { Midi: typeof import('@tonejs/midi').Midi };
const fixtures = '/work/main/tests/fixtures/nottingham';
const only = process.argv[2];
let total = 0, ok = 0;
const bad: string[] = [];
for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.abc'))) {
  if (only && !file.startsWith(only)) continue;
  const stem = file.replace(/\.abc$/, '');
  const dir = join('/tmp/abccmp/out', stem);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), readFileSync(join(fixtures, file), 'utf8').replace(/^(X:.*)$/gm, '$1\n%%MIDI chordattack 0'));
  execFileSync('abc2midi', [file, '-NGUI', '-NGRA', '-silent'], { cwd: dir, stdio: 'ignore' });
  const text = readFileSync(join(fixtures, file), 'utf8');
  const { tunes, errors } = parseAbcFile(text);
  for (const e of errors) { bad.push(`${stem} ERR ${e.message}`); total++; }
  for (const t of tunes) {
    total++;
    const mid = join(dir, `${stem}${t.referenceNumber}.mid`);
    if (!existsSync(mid)) { bad.push(`${stem}${t.referenceNumber} no midi`); continue; }
    const m = new Midi(readFileSync(mid));
    const ref = m.tracks.flatMap((tr) => tr.notes.map((n) => ({ p: n.midi, s: n.ticks - 1, e: n.ticks + n.durationTicks }))).sort((a, b) => a.s - b.s || a.p - b.p);
    const ours = t.sequence.notes.filter((n) => n.track === 0).map((n) => ({ p: n.pitch, s: n.startTick, e: n.endTick })).sort((a, b) => a.s - b.s || a.p - b.p);
    let diff = '';
    if (ref.length !== ours.length) diff = `count ${ours.length} vs ${ref.length}`;
    for (let i = 0; i < Math.min(ref.length, ours.length); i++) {
      const a = ours[i]!, b = ref[i]!;
      if (a.p !== b.p || a.s !== b.s || a.e !== b.e) { diff += ` first diff #${i}: ours ${JSON.stringify(a)} ref ${JSON.stringify(b)}`; break; }
    }
    if (diff) bad.push(`${stem}${t.referenceNumber}: ${diff}`); else ok++;
  }
}
console.log(`${ok}/${total}`);
console.log(bad.slice(0, 60).join('\n'));
