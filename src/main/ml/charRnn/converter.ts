// The one place that knows both tensors and music: batches to tensors, primers to events, events to notes.
import * as tf from '@tensorflow/tfjs';
import type { NoteSequence } from '../../../shared/song';
import { decodePerformance, encodePerformance, TIME_SHIFT_OFFSET, VELOCITY_OFFSET, DEFAULT_STEPS_PER_SECOND } from '../../music/performance';
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
