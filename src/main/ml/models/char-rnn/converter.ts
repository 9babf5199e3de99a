// The one place that knows both tensors and music: batches to tensors, primers to events, events to notes.
import * as tf from '@tensorflow/tfjs';
import type { NoteSequence } from '../../../../shared/song';
import type { LiveEvent } from '../../../../shared/generation';
import {
  binToVelocity,
  decodePerformance,
  DEFAULT_DECODE_VELOCITY,
  DEFAULT_STEPS_PER_SECOND,
  encodePerformance,
  NOTE_OFF_OFFSET,
  NOTE_ON_OFFSET,
  TIME_SHIFT_OFFSET,
  VELOCITY_OFFSET,
} from '../../../music/performance';
import { CONDITION_SIZE } from './conditions';
import type { SegmentBatch } from './data';

export interface BatchTensors {
  /** [batch*time, vocab (+ condition)]: the one-hot events with the segment's condition appended to each row. */
  inputs: tf.Tensor2D;
  /** [batch*time, vocab] one-hot targets. */
  targets: tf.Tensor2D;
}

export function batchToTensors(batch: SegmentBatch, vocabSize: number): BatchTensors {
  return tf.tidy(() => {
    const n = batch.batch * batch.time;
    const oneHot = tf.oneHot(tf.tensor1d(batch.inputs, 'int32'), vocabSize).toFloat() as tf.Tensor2D;
    let inputs = oneHot;
    if (batch.conditions) {
      // Row b*time + t takes segment b's condition.
      const perSegment = tf.tensor2d(batch.conditions, [batch.batch, CONDITION_SIZE]);
      const perStep = tf.reshape(tf.tile(tf.reshape(perSegment, [batch.batch, 1, CONDITION_SIZE]), [1, batch.time, 1]), [n, CONDITION_SIZE]);
      inputs = tf.concat([oneHot, perStep], 1) as tf.Tensor2D;
    }
    const targets = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), vocabSize).toFloat() as tf.Tensor2D;
    return { inputs, targets };
  });
}

/** A primer's events. */
export function primerTokens(primer: NoteSequence): Uint16Array {
  return encodePerformance(primer);
}

/** Generated events back to notes (any event list decodes to a valid sequence). */
export function tokensToSequence(tokens: ArrayLike<number>): NoteSequence {
  return decodePerformance(tokens);
}

/** Seconds an event advances the clock by (time-shifts only). */
export function eventSeconds(token: number): number {
  return token >= TIME_SHIFT_OFFSET && token < VELOCITY_OFFSET ? (token - TIME_SHIFT_OFFSET + 1) / DEFAULT_STEPS_PER_SECOND : 0;
}

/**
 * Turns events into note-ons and note-offs as they are generated, for live sessions; agrees with decodePerformance
 * (a repeated note-on first ends the sounding note; a note-off for a silent pitch is dropped).
 */
export class LiveDecoder {
  /** Seconds of music decoded so far. */
  seconds = 0;
  private velocity: number = DEFAULT_DECODE_VELOCITY;
  private readonly sounding = new Uint8Array(128);

  push(token: number, out: LiveEvent[]): void {
    if (token < NOTE_OFF_OFFSET) {
      const pitch = token - NOTE_ON_OFFSET;
      if (this.sounding[pitch]) out.push({ seconds: this.seconds, type: 'off', pitch, velocity: 0 });
      this.sounding[pitch] = 1;
      out.push({ seconds: this.seconds, type: 'on', pitch, velocity: this.velocity });
    } else if (token < TIME_SHIFT_OFFSET) {
      const pitch = token - NOTE_OFF_OFFSET;
      if (!this.sounding[pitch]) return;
      this.sounding[pitch] = 0;
      out.push({ seconds: this.seconds, type: 'off', pitch, velocity: 0 });
    } else if (token < VELOCITY_OFFSET) {
      this.seconds += eventSeconds(token);
    } else {
      this.velocity = binToVelocity(token - VELOCITY_OFFSET);
    }
  }

  /** Note-offs for everything still sounding (a session that ends). */
  releaseAll(out: LiveEvent[]): void {
    for (let p = 0; p < 128; p++) {
      if (!this.sounding[p]) continue;
      this.sounding[p] = 0;
      out.push({ seconds: this.seconds, type: 'off', pitch: p, velocity: 0 });
    }
  }
}
