#!/usr/bin/env node
/**
 * Writes a seeded demo issue set as JSONL (stdout or --out): `node dist/demo/make-issues.js --count 300 --seed 7`.
 * The issues are inputs for the demo world (a simulation, docs/demo-world.md).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateIssues } from './world/issue-generator.js';

const HELP = `Usage: node dist/demo/make-issues.js --count N [--seed S] [--prefix P] [--world-share X] [--out FILE]

Writes N generated demo issues (JSONL, one per line) for the simulated demo world (docs/demo-world.md).
  --count N          how many issues (required, >= 1)
  --seed S           generator seed (integer, default 1); the same seed gives the same issues
  --prefix P         id prefix (default SIM: SIM-1, SIM-2, ...)
  --world-share X    share of fab-world issues (tag asset:world) in [0, 1] (default 0.15)
  --out FILE         write here instead of stdout`;

function fail(message: string): never {
  process.stderr.write(`make-issues: ${message}\n${HELP}\n`);
  process.exit(2);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' }, prefix: { type: 'string' }, 'world-share': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  const count = Number(values.count);
  const seed = Number(values.seed ?? '1');
  const share = Number(values['world-share'] ?? '0.15');
  if (!Number.isInteger(count) || count < 1) fail(`--count must be an integer >= 1, got "${values.count ?? ''}"`);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  if (!(share >= 0 && share <= 1)) fail(`--world-share must be in [0, 1], got "${values['world-share']}"`);
  const text = generateIssues(count, seed, values.prefix ?? 'SIM', share).map((i) => JSON.stringify(i)).join('\n') + '\n';
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}

main();
