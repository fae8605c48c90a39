/**
 * Hot reload (spec open question 1): loads the configured bundle again beside the serving one, with the loader's
 * own checks, `trusted_digests` and warm-up (`PlannerInference.create`), and swaps it in between two predictions.
 * A bundle that fails anything is refused: the old one keeps serving, and the refusal is reported (logged, counted,
 * recorded by the caller). Reloads never overlap: one asked for during another runs once it ends.
 */
import { describeError } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import type { Logger } from '../logger.js';
import { primaryAttempt } from '../model-loader.js';
import { PlannerInference, type PlannerDeps } from '../planner-inference.js';
import { rfc3339 } from '../time.js';
import type { ReloadResult } from './planner-metrics.js';
import { servedDigest, type ServingPlanner } from './serving-planner.js';

export type ReloadTrigger = 'sighup' | 'watch' | 'manual';

export interface ReloadOutcome {
  readonly schema_version: 'cyntra-planner.model_reload.v1';
  readonly at: string;
  readonly trigger: ReloadTrigger;
  readonly result: ReloadResult;
  readonly bundle: string | null;
  /** The digest serving before the reload. */
  readonly previous: string | null;
  /** The digest of the bundle found (null when it could not be read). */
  readonly digest: string | null;
  /** Why a bundle was refused (`CODE: message`); null otherwise. */
  readonly reason: string | null;
}

export class BundleReloader {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly serving: ServingPlanner,
    private readonly config: InferenceConfig,
    private readonly deps: PlannerDeps & { readonly logger: Logger },
    private readonly onOutcome: (outcome: ReloadOutcome) => void = () => undefined,
  ) {}

  /** Never rejects. */
  reload(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const next = this.chain.then(() => this.attempt(trigger));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async attempt(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const previous = this.serving.digest;
    const base = {
      schema_version: 'cyntra-planner.model_reload.v1' as const,
      trigger,
      bundle: this.config.modelPath,
      previous,
    };
    let outcome: ReloadOutcome;
    try {
      outcome = { ...base, at: rfc3339(Date.now()), ...(await this.loadAndSwap(previous)) };
    } catch (e) {
      outcome = { ...base, at: rfc3339(Date.now()), result: 'refused', digest: null, reason: describeError(e) };
    }
    const log = outcome.result === 'refused' ? this.deps.logger.error : this.deps.logger.info;
    log.call(
      this.deps.logger,
      { ...outcome },
      outcome.result === 'refused'
        ? 'model reload refused; the serving bundle keeps serving'
        : `model reload: ${outcome.result}`,
    );
    this.onOutcome(outcome);
    return outcome;
  }

  private async loadAndSwap(previous: string | null): Promise<Pick<ReloadOutcome, 'result' | 'digest' | 'reason'>> {
    const next = await PlannerInference.create(this.config, this.deps);
    try {
      if (next.modelUnavailable) {
        const a = primaryAttempt(next.attempts);
        await next.dispose();
        return {
          result: 'refused',
          digest: null,
          reason: a ? `${a.code}: ${a.message.split('\n')[0]}` : 'the bundle could not be loaded',
        };
      }
      const digest = await servedDigest(next);
      if (digest === previous) {
        await next.dispose();
        return { result: 'unchanged', digest, reason: null };
      }
      this.serving.swap(next, digest);
      return { result: 'loaded', digest, reason: null };
    } catch (e) {
      await next.dispose().catch(() => undefined);
      throw e;
    }
  }
}
