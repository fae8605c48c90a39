import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionSpace } from '../../core/action-space.js';
import { parseCalibration } from '../../core/calibration.js';
import { headExamples } from '../../core/eval/calibration-fit.js';
import { calibrationKeyStyle, calibrationText, metadataText } from '../../core/eval/calibration-file.js';
import type { DatasetRow } from '../../core/eval/dataset-reader.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';

const temps = { swarm: 1.23456789, candidates: 0.5, minutes: 2, iterations: 1 };

describe('calibration.json in the bundle key style', () => {
  it('keeps the existing style; without a file, the flavour decides', () => {
    expect(calibrationKeyStyle({ temperature: {} }, 'python')).toBe('spec');
    expect(calibrationKeyStyle({ temperatures: {} }, 'spec')).toBe('python');
    expect(calibrationKeyStyle(undefined, 'spec')).toBe('spec');
    expect(calibrationKeyStyle(undefined, 'python')).toBe('python');
  });

  it('writes what the loader reads back, keeping other keys', () => {
    const spec = JSON.parse(
      calibrationText({ method: 'temperature_scaling', note: 'x', temperature: { swarm: 9 } }, 'spec', temps, {
        split: 'val',
      }),
    );
    expect(spec).toMatchObject({
      note: 'x',
      method: 'temperature_scaling',
      temperature: { swarm: 1.23457, candidates: 0.5, minutes: 2, iterations: 1 },
      fit: { split: 'val' },
    });
    expect(parseCalibration(spec, 'calibration.json')).toEqual({
      swarm: 1.23457,
      candidates: 0.5,
      minutes: 2,
      iterations: 1,
    });
    const text = calibrationText({ temperatures: { swarm_id: 1 } }, 'python', temps, {});
    const py = JSON.parse(text);
    expect(Object.keys(py)).toEqual(['fit', 'schema_version', 'temperatures']);
    expect(Object.keys(py.temperatures)).toEqual([
      'max_candidates_bin',
      'max_iterations_bin',
      'max_minutes_bin',
      'swarm_id',
    ]);
    expect(parseCalibration(py, 'calibration.json')).toEqual({
      swarm: 1.23457,
      candidates: 0.5,
      minutes: 2,
      iterations: 1,
    });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it("updates metadata.json's calibration.json checksum only where it lists checksums", () => {
    const cal = '{"a": 1}\n';
    const meta = JSON.parse(metadataText({ name: 'm', files: { 'model.onnx': { sha256: 'ab', size: 1 } } }, cal)!);
    expect(meta.files['calibration.json']).toEqual({
      sha256: createHash('sha256').update(cal).digest('hex'),
      size: cal.length,
    });
    expect(meta.files['model.onnx']).toEqual({ sha256: 'ab', size: 1 });
    expect(metadataText({ name: 'm' }, cal)).toBeNull();
    expect(metadataText(undefined, cal)).toBeNull();
  });
});

describe('calibration examples', () => {
  it('a label bin the bundle does not know gives no example for that head only; unlabelled or failed rows none', () => {
    const input = { job_type: 'code' } as PlannerInputV1;
    const row = (label: DatasetRow['label']): DatasetRow => ({
      line: 1,
      split: 'val',
      issueId: null,
      input,
      label,
      bench: null,
    });
    const logits = {
      swarm: Float32Array.of(0, 1),
      candidates: Float32Array.of(0, 0, 0, 0),
      minutes: Float32Array.of(0, 0, 0, 0, 0, 0),
      iterations: Float32Array.of(0, 0, 0, 0, 0),
    };
    const ex = headExamples(
      [
        row({ swarm_id: 'speculate_vote', max_candidates_bin: 7, max_minutes_bin: 30, max_iterations_bin: 'NA' }),
        row({ swarm_id: 'unknown_swarm', max_candidates_bin: 1, max_minutes_bin: 30, max_iterations_bin: 'NA' }),
        row(null),
        row({ swarm_id: 'serial_handoff', max_candidates_bin: 1, max_minutes_bin: 30, max_iterations_bin: 'NA' }),
      ],
      [logits, logits, logits, { error: 'boom' }],
      ActionSpace.defaults(),
    );
    expect(ex.swarm.map((e) => e.label)).toEqual([1]);
    expect(ex.candidates.map((e) => e.label)).toEqual([0]);
    expect(ex.minutes.map((e) => e.label)).toEqual([1, 1]);
    expect(ex.iterations.map((e) => e.label)).toEqual([4, 4]);
  });
});
