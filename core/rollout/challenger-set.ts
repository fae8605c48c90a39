/**
 * The configured challengers (`planner.challengers`), loaded at kernel start: a path that does not exist stops the
 * start with CHALLENGER_NOT_FOUND naming the config key; a bundle that exists but does not load is kept (its
 * records say `error`, reason `model_unavailable`) so the champion's queue is never held up by a challenger.
 */
import type { InferenceConfig } from '../inference-config.js';
import type { ChallengerRecord } from '../kernel/manifest-extras.js';
import type { Logger } from '../logger.js';
import type { PlannerDeps } from '../planner-inference.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { ConfigPositions } from '../kernel/kernel-config-types.js';
import { Challenger, assertChallengerPath, challengerInferenceConfig } from './challenger.js';
import type { ChallengerSettings } from './rollout-config.js';

export class ChallengerSet {
  private constructor(private readonly challengers: readonly Challenger[]) {}

  get size(): number {
    return this.challengers.length;
  }

  static async load(
    list: readonly ChallengerSettings[],
    champion: InferenceConfig,
    deps: PlannerDeps & { logger: Logger; configFile: string | null; positions?: ConfigPositions },
  ): Promise<ChallengerSet> {
    for (const s of list) assertChallengerPath(s.path, where(deps.configFile, deps.positions, s));
    const loaded: Challenger[] = [];
    try {
      for (const s of list) {
        const c = await Challenger.load(s, challengerInferenceConfig(s, champion), deps);
        if (c.unavailable)
          deps.logger.warn(
            { challenger: s.name, path: s.path },
            'challenger bundle could not be loaded; its records will say model_unavailable',
          );
        loaded.push(c);
      }
    } catch (e) {
      await Promise.allSettled(loaded.map((c) => c.dispose()));
      throw e;
    }
    return new ChallengerSet(loaded);
  }

  /** Every challenger on the same input, in parallel, each within its own budget. Never throws. */
  predict(input: PlannerInputV1): Promise<ChallengerRecord[]> {
    return Promise.all(this.challengers.map((c) => c.predict(input)));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.challengers.map((c) => c.dispose()));
  }
}

function where(file: string | null, positions: ConfigPositions | undefined, s: ChallengerSettings): string {
  const key = `planner.challengers[${s.index}].path (${s.name})`;
  if (file === null) return key;
  const pos = positions?.of(['planner', 'challengers', String(s.index), 'path']) ?? { line: 1, col: 1 };
  return `${file}:${pos.line}:${pos.col}: ${key}`;
}
