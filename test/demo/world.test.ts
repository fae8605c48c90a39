import { describe, expect, it } from 'vitest';
import { generateIssues } from '../../fixtures/demo/world/issue-generator.js';
import { hiddenTraits, simulateDispatch, type WorldIssue, type WorldPlan } from '../../fixtures/demo/world/world.js';

const risky: WorldIssue = {
  id: 'R-1',
  title: 'Migrate auth tokens',
  dk_risk: 'critical',
  dk_size: 'M',
  tags: ['auth', 'security'],
};
const large: WorldIssue = { id: 'L-1', title: 'Split the scheduler', dk_risk: 'low', dk_size: 'XL', tags: ['backend'] };
const world: WorldIssue = {
  id: 'W-1',
  title: 'Generate the castle world',
  dk_risk: 'low',
  dk_size: 'XL',
  tags: ['asset:world'],
};
const plan = (p: Partial<WorldPlan>): WorldPlan => ({
  swarmId: 'speculate_vote',
  candidates: 1,
  budgetMinutes: 120,
  iterations: null,
  ...p,
});

/** Share of generated issues (same shape as `base`, ids varied) whose dispatch succeeds under the plan. */
function passRate(base: WorldIssue, p: WorldPlan, n = 300): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (simulateDispatch({ ...base, id: `${base.id}-${i}` }, p, 5).status === 'success') ok++;
  return ok / n;
}

describe('demo world (a simulation)', () => {
  it('is deterministic: the same seed, issue and plan give the same outcome; another seed changes some outcomes', () => {
    const issues = generateIssues(40, 3);
    const p = plan({ candidates: 2, budgetMinutes: 45 });
    const a = issues.map((i) => simulateDispatch(i, p, 11));
    expect(issues.map((i) => simulateDispatch(i, p, 11))).toEqual(a);
    const b = issues.map((i) => simulateDispatch(i, p, 12));
    expect(b).not.toEqual(a);
  });

  it('more candidates raise the pass rate of risky work', () => {
    expect(hiddenTraits(risky, 5).difficulty).toBeGreaterThan(0.5);
    const one = passRate(risky, plan({ candidates: 1 }));
    const three = passRate(risky, plan({ candidates: 3 }));
    expect(three).toBeGreaterThan(one + 0.2);
  });

  it('too few minutes time out on large work', () => {
    expect(passRate(large, plan({ budgetMinutes: 15 }))).toBe(0);
    expect(simulateDispatch(large, plan({ budgetMinutes: 15 }), 5).status).toBe('timeout');
    expect(passRate(large, plan({ budgetMinutes: 120 }))).toBeGreaterThan(0.5);
  });

  it('fab-world jobs need enough iterations', () => {
    expect(hiddenTraits(world, 5).iterationsNeeded).toBe(5);
    const few = passRate(world, plan({ candidates: 2, budgetMinutes: null, iterations: 1 }));
    const enough = passRate(world, plan({ candidates: 2, budgetMinutes: null, iterations: 5 }));
    expect(enough).toBeGreaterThan(few + 0.3);
  });

  it('costs in proportion to candidate-minutes used', () => {
    const easy: WorldIssue = { id: 'E-1', title: 'Fix typo', dk_risk: 'low', dk_size: 'XS', tags: ['docs'] };
    const d1 = simulateDispatch(easy, plan({ candidates: 1, budgetMinutes: 60 }), 5);
    const d3 = simulateDispatch(easy, plan({ candidates: 3, budgetMinutes: 60 }), 5);
    expect(d3.costUsd).toBeGreaterThan(d1.costUsd * 2);
  });

  it('the generator is seeded: same (count, seed) same issues, unique ids, a share of fab-world jobs', () => {
    const a = generateIssues(200, 7);
    expect(generateIssues(200, 7)).toEqual(a);
    expect(generateIssues(200, 8)).not.toEqual(a);
    expect(new Set(a.map((i) => i.id)).size).toBe(200);
    const worlds = a.filter((i) => i.tags.includes('asset:world')).length;
    expect(worlds).toBeGreaterThan(10);
    expect(worlds).toBeLessThan(60);
  });
});
