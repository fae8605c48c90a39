/** The invalid-bundle fixtures, their expected code (the directory name up to the first '.'), and their options. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const INVALID_DIR = join(ROOT, 'fixtures/bundles/invalid');
export const BUNDLES_DIR = join(ROOT, 'fixtures/bundles');

export const UNIVERSE = ['serial_handoff', 'speculate_vote'];

export interface CaseOptions {
  readonly maxFileBytes?: number;
  readonly swarmUniverse?: readonly string[];
  readonly expectSha256?: string;
}

/**
 * Checks that only fire when the caller asks (a cap, a universe, a pinned digest). A case may pin its own digest in
 * `<name>.expect-sha256` beside it (written by make-invalid-bundles.ts).
 */
const OPTIONS: Readonly<Record<string, CaseOptions>> = {
  BUNDLE_FILE_TOO_LARGE: { maxFileBytes: 1024 },
  SWARM_UNKNOWN: { swarmUniverse: UNIVERSE },
  BUNDLE_UNTRUSTED: { expectSha256: '0'.repeat(64) },
};

export interface InvalidCase {
  readonly name: string;
  readonly dir: string;
  readonly code: string;
  readonly options: CaseOptions;
  /**
   * A backend case: the core checks pass, the backend's own checks (and its createSession) refuse it. A case with a
   * pinned digest is refused by the core trust check whatever model it holds, so it is never a backend case.
   */
  readonly backendCase: boolean;
}

const MODEL_FILES = ['model.onnx', 'planner.onnx', 'model.pt', 'model.json'];

/** Codes the core checks (the bundle loader) raise. */
export const CORE_CODES = new Set([
  'BUNDLE_JSON_INVALID',
  'BUNDLE_SCHEMA',
  'ACTION_SPACE_INVALID',
  'BUNDLE_FILE_MISSING',
  'BUNDLE_CHECKSUM_MISMATCH',
  'BUNDLE_PATH_ESCAPE',
  'BUNDLE_FILE_TOO_LARGE',
  'VOCAB_INVALID',
  'BUNDLE_SHAPE_MISMATCH',
  'SWARM_UNKNOWN',
  'BUNDLE_UNTRUSTED',
  'CALIBRATION_INVALID',
]);

export function invalidCases(): InvalidCase[] {
  return readdirSync(INVALID_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dir = join(INVALID_DIR, name);
      const code = name.split('.')[0];
      const options = pinnedOptions(dir) ?? OPTIONS[name] ?? OPTIONS[code] ?? {};
      const backendCase = options.expectSha256 === undefined && MODEL_FILES.some((f) => existsSync(join(dir, f)));
      return { name, dir, code, options, backendCase };
    });
}

function pinnedOptions(dir: string): CaseOptions | null {
  const file = `${dir}.expect-sha256`;
  return existsSync(file) ? { expectSha256: readFileSync(file, 'utf8').trim() } : null;
}

/** Fixture bundles meant to be served: they lint without errors and load with no failed attempt. */
export const SERVABLE_BUNDLES = ['onnx-spec-small', 'onnx-python-small', 'torch-features', 'slow-model'] as const;

/**
 * Parity fixtures: small models (d_in 64 or 24) that test backend numerics on raw vectors. They declare (or default
 * to) features.v1, which is 3779 wide, so the loader refuses to serve them and lint says so with the same code.
 */
export const PARITY_ONLY_BUNDLES = [
  'torch-small',
  'torch-float16',
  'torch-float64',
  'torch-bfloat16',
  'torch-strided',
  'torch-wrapped',
  'torch-ref',
] as const;

export function validBundles(): string[] {
  return SERVABLE_BUNDLES.map((name) => join(BUNDLES_DIR, name));
}

export function parityOnlyBundles(): string[] {
  return PARITY_ONLY_BUNDLES.map((name) => join(BUNDLES_DIR, name));
}
