/**
 * Each challenger against the champion (`report`): how often it answered, how its plan agrees with the champion's
 * record per head, how often it chose the executed swarm on runs that succeeded vs failed, and its latency.
 */
import type { WorkcellManifest } from '../kernel/dispatcher.js';
import type { ChallengerRecord } from '../kernel/manifest-extras.js';
import type { ExecutedPlanRecord } from '../records.js';
import type { ChallengerRow } from './report-types.js';
import { percentile, rate, round, summarizeAgreement } from './report-stats.js';

type Budgets = NonNullable<ChallengerRecord['budgets']>;

export function challengerRows(manifests: readonly WorkcellManifest[]): ChallengerRow[] {
  const byName = new Map<string, { c: ChallengerRecord; m: WorkcellManifest }[]>();
  for (const m of manifests) {
    const list = (m.planner as { challengers?: unknown }).challengers;
    if (!Array.isArray(list)) continue;
    for (const c of list as ChallengerRecord[]) {
      if (typeof c?.name !== 'string') continue;
      byName.set(c.name, [...(byName.get(c.name) ?? []), { c, m }]);
    }
  }
  return [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, items]) => rowOf(name, items));
}

function rowOf(name: string, items: readonly { c: ChallengerRecord; m: WorkcellManifest }[]): ChallengerRow {
  const byStatus: Record<string, number> = {};
  for (const { c } of items) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const answered = items.filter(({ c }) => c.swarm_id !== null && c.budgets !== null);
  const vsChampion = answered
    .filter(({ m }) => m.planner.planner_action !== null)
    .map(({ c, m }) =>
      headsEqual(c.swarm_id!, c.budgets!, m.planner.planner_action!.swarm_id, m.planner.planner_action!.budgets),
    );
  const onRuns = (status: (s: string) => boolean): number | null => {
    const runs = answered.filter(({ m }) => m.run !== null && status(m.run.status));
    return round(
      rate(runs.filter(({ c, m }) => c.swarm_id === executedSwarm(m.planner.executed_plan)).length, runs.length),
    );
  };
  const latencies = items.map(({ c }) => c.latency_ms).filter((x) => typeof x === 'number');
  return {
    name,
    predictions: items.length,
    fallbacks: items.length - (byStatus.ok ?? 0),
    by_status: byStatus,
    agreement_with_champion: summarizeAgreement(vsChampion),
    swarm_agreement_on_success: onRuns((s) => s === 'success'),
    swarm_agreement_on_failure: onRuns((s) => s !== 'success'),
    latency_ms_p50: percentile(latencies, 50),
    latency_ms_p99: percentile(latencies, 99),
  };
}

function executedSwarm(e: ExecutedPlanRecord): string {
  return e.swarm_id_executed;
}

function headsEqual(swarm: string, b: Budgets, otherSwarm: string, o: Budgets): boolean[] {
  return [
    swarm === otherSwarm,
    b.max_candidates_bin === o.max_candidates_bin,
    b.max_minutes_bin === o.max_minutes_bin,
    b.max_iterations_bin === o.max_iterations_bin,
  ];
}
