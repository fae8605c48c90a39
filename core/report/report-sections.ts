/**
 * The report's sections as plain tables (title, header, rows): one description both the text table and the HTML
 * render, so the two never disagree.
 */
import type { HeadAgreement, PlannerReport } from './report-types.js';

export interface Section {
  readonly title: string;
  readonly note?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(1)}%`;
}

function num(v: number | null, digits = 1): string {
  return v === null ? '–' : v.toFixed(digits);
}

function agreementCells(a: HeadAgreement): string[] {
  return [String(a.compared), pct(a.exact), pct(a.swarm), pct(a.candidates), pct(a.minutes), pct(a.iterations)];
}

export function reportSections(r: PlannerReport): Section[] {
  return [...decisionSections(r), ...outcomeSections(r), ...modelSections(r)];
}

function decisionSections(r: PlannerReport): Section[] {
  const d = r.decisions;
  return [
    {
      title: 'Manifests',
      header: ['found', 'used', 'finished', 'before --since', 'skipped'],
      rows: [
        [
          String(r.manifests.found),
          String(r.manifests.used),
          String(r.manifests.finished),
          String(r.manifests.before_since),
          String(r.manifests.skipped.length),
        ],
      ],
    },
    {
      title: 'Decisions by source',
      note: `fallback rate ${pct(d.fallback_rate)} of ${d.planner_asked} planner decisions (in shadow mode: the fallback the gate would have taken); modes: ${
        Object.entries(r.modes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
      header: ['source', 'count', 'share'],
      rows: d.by_source.map((s) => [s.key, String(s.count), pct(s.rate)]),
    },
    {
      title: 'Fallbacks and gates by reason',
      header: ['reason', 'count', 'share of all decisions'],
      rows: d.by_reason.map((s) => [s.key, String(s.count), pct(s.rate)]),
    },
    {
      title: 'Caps applied',
      header: ['cap', 'count', 'share of all decisions'],
      rows: d.caps.map((s) => [s.key, String(s.count), pct(s.rate)]),
    },
    {
      title: 'Fallback rate over time',
      header: ['from', 'to', 'decisions', 'fallbacks', 'rate'],
      rows: d.over_time.map((b) => [b.start, b.end, String(b.decisions), String(b.fallbacks), pct(b.fallback_rate)]),
    },
    {
      title: 'Shadow agreement: model plan vs executed plan',
      note: 'bins compared with executed values; NA matches only an unset executed value',
      header: ['compared', 'exact', 'swarm', 'candidates', 'minutes', 'iterations'],
      rows: [agreementCells(r.shadow)],
    },
  ];
}

function outcomeSections(r: PlannerReport): Section[] {
  return [
    ...(['by_source', 'by_action'] as const).map((k) => ({
      title: k === 'by_source' ? 'Outcomes by source' : 'Outcomes by executed action',
      header: [
        k === 'by_source' ? 'source' : 'executed action',
        'runs',
        'success',
        'failed',
        'timeout',
        'success rate',
        'mean ms',
        'p50 ms',
        'cost USD (runs)',
      ],
      rows: r.outcomes[k].map((o) => [
        o.key,
        String(o.count),
        String(o.success),
        String(o.failed),
        String(o.timeout),
        pct(o.success_rate),
        num(o.duration_ms_mean),
        num(o.duration_ms_p50, 0),
        o.cost_usd_total === null ? '–' : `${o.cost_usd_total} (${o.cost_recorded})`,
      ]),
    })),
    {
      title: 'Threshold sweep on recorded model confidences',
      note: `${r.confidence.count} decisions with a model confidence; a decision without one falls back at every threshold`,
      header: ['threshold', 'fallback rate'],
      rows: r.confidence.sweep.filter((_, i) => i % 2 === 0).map((s) => [s.threshold.toFixed(2), pct(s.fallback_rate)]),
    },
  ];
}

function modelSections(r: PlannerReport): Section[] {
  return [
    {
      title: 'Inference latency per backend',
      header: ['backend', 'inferences', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      rows: r.latency.map((l) => [
        l.backend,
        String(l.count),
        num(l.p50_ms, 2),
        num(l.p90_ms, 2),
        num(l.p99_ms, 2),
        num(l.max_ms, 2),
      ]),
    },
    {
      title: 'Model versions (bundle digest of each record)',
      header: ['digest', 'checkpoint', 'decisions', 'fallbacks'],
      rows: r.models.map((m) => [
        m.digest ?? '(none recorded)',
        m.checkpoint_id,
        String(m.decisions),
        String(m.fallbacks),
      ]),
    },
    {
      title: 'Challengers vs champion',
      note: 'agreement with the champion\'s planner_action; "swarm on success/failure": how often the challenger chose the swarm that ran, on runs that succeeded / did not',
      header: [
        'challenger',
        'predictions',
        'no answer or fallback',
        'exact',
        'swarm',
        'candidates',
        'minutes',
        'iterations',
        'swarm on success',
        'swarm on failure',
        'p50 ms',
        'p99 ms',
      ],
      rows: r.challengers.map((c) => {
        const a = c.agreement_with_champion;
        return [
          c.name,
          String(c.predictions),
          String(c.fallbacks),
          pct(a.exact),
          pct(a.swarm),
          pct(a.candidates),
          pct(a.minutes),
          pct(a.iterations),
          pct(c.swarm_agreement_on_success),
          pct(c.swarm_agreement_on_failure),
          num(c.latency_ms_p50, 2),
          num(c.latency_ms_p99, 2),
        ];
      }),
    },
    {
      title: 'Model reloads',
      note: `${r.reloads.loaded} loaded, ${r.reloads.refused} refused, ${r.reloads.unchanged} unchanged`,
      header: ['at', 'trigger', 'result', 'digest', 'reason'],
      rows: r.reloads.events.map((e) => [e.at, e.trigger, e.result, e.digest ?? '–', e.reason ?? '']),
    },
    {
      title: 'Skipped manifests',
      header: ['kind', 'file', 'detail'],
      rows: r.manifests.skipped.map((s) => [s.kind, s.file, s.detail]),
    },
  ];
}
