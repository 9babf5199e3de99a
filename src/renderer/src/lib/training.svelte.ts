// The training run the Train area shows: its request, live training points and sample previews; kept outside the view so they survive switching areas.
import type { TrainRequest } from '../../../shared/api/models';
import type { JobStatusOf, TrainPoint } from '../../../shared/jobs';
import type { NoteSequence } from '../../../shared/song';
import type { JobId } from '../../../shared/units';
import { studio } from './studio.svelte';
import { appendPoint } from './trainData';

const MAX_SAMPLES = 6;

class Training {
  jobId = $state<JobId | null>(null);
  request = $state<TrainRequest | null>(null);
  points = $state<TrainPoint[]>([]);
  samples = $state<{ step: number; sequence: NoteSequence }[]>([]);
  error = $state<string | null>(null);
  /** A kind another view sent the composer here to train (the Polish step, when no model can polish): the form starts on it. */
  wantedKind = $state<string | null>(null);
  /** What each run of this session asked for, so that a cancelled one can be resumed from "Earlier runs". */
  readonly requests = new Map<JobId, TrainRequest>();
  private listening = false;

  job: JobStatusOf<'train-model'> | undefined = $derived.by(() => {
    const j = this.jobId ? studio.jobs.find((x) => x.id === this.jobId) : undefined;
    return j?.kind === 'train-model' ? j : undefined;
  });

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    studio.onJob((e) => {
      if (e.kind !== 'train-model' || e.job.id !== this.jobId || !e.data) return;
      const { point, sample } = e.data;
      if (point) this.points = appendPoint(this.points, point);
      if (sample) this.samples = [{ step: point?.step ?? this.points.at(-1)?.step ?? 0, sequence: sample }, ...this.samples].slice(0, MAX_SAMPLES);
    });
  }

  /** Starts a run; with `resume` the curves continue from where they stopped. */
  async start(request: TrainRequest): Promise<void> {
    this.listen();
    this.error = null;
    if (!request.resume) {
      this.points = [];
      this.samples = [];
    }
    try {
      const job = await studio.api.models.train(request);
      this.request = request;
      this.jobId = job.id;
      this.requests.set(job.id, request);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  async cancel(): Promise<void> {
    if (this.jobId) await studio.api.jobs.cancel(this.jobId);
  }

  async resume(): Promise<void> {
    if (this.request) await this.start({ ...this.request, resume: true });
  }

  /** Resumes an earlier run of this session from its last checkpoint; it becomes the run shown. */
  async resumeEarlier(jobId: JobId): Promise<void> {
    const request = this.requests.get(jobId);
    if (!request) return;
    this.points = [];
    this.samples = [];
    await this.start({ ...request, resume: true });
  }
}

export const training = new Training();
