// Errors raised while training a model.
import { StudioError } from '../../../shared/errors';

/** Training cannot go on: a diverged loss, a missing gradient, data too small for the batch. */
export class TrainingError extends StudioError {}
