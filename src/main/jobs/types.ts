// The contract between the job manager and the code that does a job's work.
import type { JobProgress } from '../../shared/jobs';

export interface JobContext {
  /** Reports progress; cheap to call often (the manager forwards at most ~10 per second). */
  progress(p: JobProgress): void;
  /** Aborted when the user cancels. Long loops check `signal.aborted` or call throwIfCancelled(). */
  readonly signal: AbortSignal;
  throwIfCancelled(): void;
}

export type JobRunner = (params: unknown, ctx: JobContext) => Promise<unknown>;
