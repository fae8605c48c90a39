/**
 * The champion as the kernel serves it: a `PlannerInference` that can be swapped for another between two
 * predictions (hot reload). A prediction runs to the end on the generation it started on; a retired generation is
 * disposed when its last prediction finishes. Every record is stamped with the digest of the bundle of the
 * generation that produced it, as `model.version: "sha256:<hex>"` — the one free field the Python-compatible,
 * closed `planner_action.v1` schema has under `model`.
 */
import type { ActionSpace } from '../action-space.js';
import { FileHasher, bundleDigest } from '../bundle/checks/bundle-digest.js';
import type { PlannerLike } from '../kernel/kernel-observer.js';
import type { PlannerInference, PredictOutcome } from '../planner-inference.js';
import type { PlannerInputV1 } from '../planner-input-types.js';

interface Generation {
  readonly planner: PlannerInference;
  /** `sha256:<hex>`; null when no bundle serves (heuristic). */
  readonly digest: string | null;
  inflight: number;
  retired: boolean;
}

/** `sha256:<hex>` of the bundle a planner serves; null when it serves none (heuristic, model unavailable). */
export async function servedDigest(planner: PlannerInference): Promise<string | null> {
  const bundle = planner.bundle;
  if (!bundle || planner.modelUnavailable) return null;
  return `sha256:${await bundleDigest(Object.keys(bundle.files), new FileHasher(bundle.dir))}`;
}

export class ServingPlanner implements PlannerLike {
  private current: Generation;
  private readonly disposing: Promise<void>[] = [];

  private constructor(first: Generation) {
    this.current = first;
  }

  static async create(planner: PlannerInference): Promise<ServingPlanner> {
    return new ServingPlanner({ planner, digest: await servedDigest(planner), inflight: 0, retired: false });
  }

  get backend(): string {
    return this.current.planner.backend;
  }

  get actionSpace(): ActionSpace {
    return this.current.planner.actionSpace;
  }

  get config(): PlannerInference['config'] {
    return this.current.planner.config;
  }

  get attempts(): PlannerInference['attempts'] {
    return this.current.planner.attempts;
  }

  get digest(): string | null {
    return this.current.digest;
  }

  get champion(): PlannerInference {
    return this.current.planner;
  }

  async predict(input: PlannerInputV1): Promise<PredictOutcome> {
    const gen = this.current;
    gen.inflight++;
    try {
      return stamp(await gen.planner.predict(input), gen.digest);
    } finally {
      gen.inflight--;
      if (gen.retired && gen.inflight === 0) this.dispose(gen);
    }
  }

  baseline(input: PlannerInputV1, reason: string | null): PredictOutcome {
    return stamp(this.current.planner.baseline(input, reason), this.current.digest);
  }

  /** Serves `planner` from the next prediction on; the old generation finishes its predictions, then is disposed. */
  swap(planner: PlannerInference, digest: string | null): void {
    const old = this.current;
    this.current = { planner, digest, inflight: 0, retired: false };
    old.retired = true;
    if (old.inflight === 0) this.dispose(old);
  }

  /** Disposes the serving generation and waits for retired ones. */
  async close(): Promise<void> {
    this.current.retired = true;
    if (this.current.inflight === 0) this.dispose(this.current);
    await Promise.allSettled(this.disposing);
  }

  private dispose(gen: Generation): void {
    this.disposing.push(gen.planner.dispose().catch(() => undefined));
  }
}

function stamp(outcome: PredictOutcome, digest: string | null): PredictOutcome {
  if (digest === null) return outcome;
  return { ...outcome, record: { ...outcome.record, model: { ...outcome.record.model, version: digest } } };
}
