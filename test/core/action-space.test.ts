import { describe, expect, it } from 'vitest';
import { ActionSpace, mapToBin, parseBins } from '../../core/action-space.js';

describe('ActionSpace', () => {
  const space = ActionSpace.defaults();

  it('enumerates the reference counts of valid actions: code 30, fab-world 120, other 150', () => {
    expect(space.validActions('code')).toHaveLength(30);
    expect(space.validActions('fab-world')).toHaveLength(120);
    expect(space.validActions('fab-asset')).toHaveLength(150);
  });

  it('applies the three validity rules and rejects bins below 1', () => {
    const t = (s: string, c: number | 'NA', m: number | 'NA', i: number | 'NA') => ({
      swarm_id: s,
      max_candidates_bin: c,
      max_minutes_bin: m,
      max_iterations_bin: i,
    });
    expect(space.isValid('code', t('serial_handoff', 2, 15, 'NA'))).toBe(false);
    expect(space.isValid('code', t('speculate_vote', 2, 15, 1))).toBe(false);
    expect(space.isValid('fab-world', t('speculate_vote', 'NA', 15, 1))).toBe(false);
    expect(space.isValid('fab-world', t('speculate_vote', 2, 15, 1))).toBe(true);
    expect(space.isValid('other', t('speculate_vote', 0, 15, 1))).toBe(false);
  });

  it('sorts valid actions by swarm then bins with NA last', () => {
    const first = space.validActions('code').slice(0, 2);
    expect(first[0]).toEqual({
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: 15,
      max_iterations_bin: 'NA',
    });
    expect(first[1].max_minutes_bin).toBe(30);
  });

  it('accepts declarative validity rules from a bundle', () => {
    const custom = ActionSpace.fromJson(
      {
        swarm_ids: ['serial_handoff', 'speculate_vote'],
        max_candidates_bins: [1, 2],
        max_minutes_bins: [15, 30],
        max_iterations_bins: ['NA'],
        validity_rules: [
          { description: 'speculate needs 2', if: { swarm_id: 'speculate_vote' }, then: { max_candidates_bin: 2 } },
        ],
      },
      'x',
    );
    expect(
      custom
        .validActions('code')
        .filter((a) => a.swarm_id === 'speculate_vote')
        .every((a) => a.max_candidates_bin === 2),
    ).toBe(true);
    expect(custom.validActions('code').some((a) => a.swarm_id === 'serial_handoff' && a.max_candidates_bin === 2)).toBe(
      true,
    );
  });

  it('refuses unknown rule keys and an empty swarm list', () => {
    expect(() =>
      ActionSpace.fromJson({ swarm_ids: ['a'], validity_rules: [{ description: 'x', if: { colour: 'red' } }] }, 'y'),
    ).toThrowError(expect.objectContaining({ code: 'ACTION_SPACE_INVALID' }));
    expect(() => ActionSpace.fromJson({ swarm_ids: [] }, 'z')).toThrowError(
      expect.objectContaining({ code: 'ACTION_SPACE_INVALID' }),
    );
  });
});

describe('bins', () => {
  it('parses bins as the reference does', () => {
    expect(parseBins([3, ' na ', 'x', 3, true, 1.5], [])).toEqual([3, 'NA', 1]);
    expect(parseBins([], [1])).toEqual(['NA']);
  });

  it('maps numbers to the nearest bin with ties to the lower (reference examples)', () => {
    const minutes = [15, 30, 45, 60, 120, 'NA'] as const;
    const cases: Array<[number, number]> = [
      [0, 15],
      [22, 15],
      [23, 30],
      [40, 45],
      [52, 45],
      [90, 60],
      [100, 120],
      [200, 120],
    ];
    for (const [v, bin] of cases) expect(mapToBin(v, minutes as never)).toBe(bin);
    expect(mapToBin(4, [1, 2, 3, 'NA'])).toBe(3);
    expect(mapToBin(null, [1, 2])).toBe('NA');
  });
});
