// Named errors that cross the engine/UI boundary: each says what was wrong and with which value.

/** Base of every error the studio raises on purpose; `name` survives serialization. */
export class StudioError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An API call whose arguments failed validation. */
export class InvalidArgumentError extends StudioError {}
/** A method name the engine does not know. */
export class UnknownMethodError extends StudioError {}
/** Something asked for (a fragment, model, job) does not exist. */
export class NotFoundError extends StudioError {}
/** A job was cancelled by the user. */
export class CancelledError extends StudioError {}

/** What an error looks like on the wire. */
export interface SerializedError {
  name: string;
  message: string;
  details?: unknown;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const details = (err as { details?: unknown }).details;
    return details === undefined ? { name: err.name, message: err.message } : { name: err.name, message: err.message, details };
  }
  return { name: 'Error', message: String(err) };
}

/** The error the UI sees for a failed call; keeps the engine-side name. */
export class RemoteError extends Error {
  readonly details: unknown;
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.details = serialized.details;
  }
}
