/**
 * From dataset rows and raw logits to per-head temperature fits and their before/after quality: per head, the
 * examples are the rows whose label's class exists in the bundle's head (a swarm or bin the bundle does not know
 * gives no example for that head). Quality per head: NLL, and ECE of the head's top-1 probability vs whether the
 * top-1 class is the label.
 */
import { HEAD_NAMES, type HeadName } from '../action.js';
import type { ActionSpace } from '../action-space.js';
import type { HeadLogits } from '../backend/plugin.js';
import type { Temperatures } from '../calibration.js';
import { softmax } from '../decode.js';
import type { DatasetRow } from './dataset-reader.js';
import { reliability } from './reliability.js';
import { fitTemperature, nll, type HeadExample, type TemperatureFit } from './temperature-fit.js';

export type HeadExamples = Readonly<Record<HeadName, HeadExample[]>>;

export function headExamples(
  rows: readonly DatasetRow[],
  logits: readonly (HeadLogits | { error: string })[],
  space: ActionSpace,
): HeadExamples {
  const out = { swarm: [], candidates: [], minutes: [], iterations: [] } as Record<HeadName, HeadExample[]>;
  rows.forEach((row, i) => {
    const l = logits[i];
    if (row.label === null || 'error' in l) return;
    const idx = space.indexOf(row.label);
    for (const head of HEAD_NAMES) if (idx[head] >= 0) out[head].push({ logits: l[head], label: idx[head] });
  });
  return out;
}

export interface HeadQuality {
  readonly examples: number;
  readonly nll: number | null;
  readonly ece: number | null;
}

export function headQuality(examples: readonly HeadExample[], temperature: number): HeadQuality {
  const items = examples.map(({ logits, label }) => {
    const p = softmax(logits, temperature);
    let top = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[top]) top = i;
    return { confidence: p[top], correct: top === label };
  });
  return { examples: examples.length, nll: nll(examples, temperature), ece: reliability(items).ece };
}

export function fitAllHeads(examples: HeadExamples, before: Temperatures): Record<HeadName, TemperatureFit> {
  return Object.fromEntries(HEAD_NAMES.map((h) => [h, fitTemperature(examples[h], before[h])])) as Record<
    HeadName,
    TemperatureFit
  >;
}
