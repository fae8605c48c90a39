/**
 * Runs the core bundle checks in one fixed order and collects every problem. `loadBundle` throws the first error of
 * this list; `lint` reports all of it. Plugin checks (bundleSchema, plugin.lint) come after, in core/lint.
 */
import { realpathSync, statSync } from 'node:fs';
import type { ActionSpace } from '../../action-space.js';
import type { Temperatures } from '../../calibration.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { SchemaRegistry } from '../../schemas.js';
import type { BundleFileInfo } from '../bundle-types.js';
import { jsonPositions } from '../json-positions.js';
import type { LintProblem } from './bundle-problem.js';
import { FileHasher, bundleDigest } from './bundle-digest.js';
import { checkActionSpace, binProblems } from './check-action-space.js';
import { checkCalibration } from './check-calibration.js';
import { listBundleFiles, type ListedFiles } from './check-files.js';
import { metricsHeadProblems } from './check-head-sizes.js';
import { jsonSchemaProblems, readJsonFiles } from './check-json-files.js';
import { metadataProblems } from './check-metadata.js';
import { trustProblems, wantsTrustCheck, type TrustOptions } from './check-trust.js';
import { vocabProblems } from './check-vocab.js';

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface InspectOptions extends TrustOptions {
  readonly maxFileBytes?: number;
  readonly schemas?: SchemaRegistry;
  /** Known swarm ids; when given, every action-space swarm id must be one (SWARM_UNKNOWN). */
  readonly swarmUniverse?: readonly string[];
}

export interface BundleInspection {
  readonly dir: string;
  readonly files: Record<string, BundleFileInfo>;
  readonly unreadable: ReadonlySet<string>;
  readonly json: Record<string, unknown>;
  readonly texts: Record<string, string>;
  readonly actionSpace: ActionSpace | null;
  readonly calibration: Temperatures | null;
  /** Set when a trust check ran (docs/bundle-digest.md). */
  readonly digest: string | null;
  /** sha256 of every listed file, when the digest was computed: `Bundle.readFile` re-checks what it reads. */
  readonly fileHashes: Readonly<Record<string, string>> | null;
  readonly maxFileBytes: number;
  readonly schemas: SchemaRegistry;
  /** In check order, with line:col filled in for problems inside JSON files. */
  readonly problems: LintProblem[];
}

/** Throws only BUNDLE_NOT_FOUND (no directory to inspect); everything else becomes a problem. */
export async function inspectBundle(dir: string, options: InspectOptions = {}): Promise<BundleInspection> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const schemas = options.schemas ?? new SchemaRegistry();
  const realDir = realDirectory(dir);
  const listed = listBundleFiles(realDir, maxFileBytes);
  const { json, texts, problems: jsonProblems } = await readJsonFiles(realDir, listed);
  const hasher = new FileHasher(realDir);
  const schemaProblems = jsonSchemaProblems(schemas, json);
  const problems: LintProblem[] = [...listed.problems, ...jsonProblems, ...binProblems(json), ...schemaProblems];
  problems.push(...(await metadataProblems(realDir, json, listed, hasher)));
  const space = checkActionSpace(json, options.swarmUniverse);
  problems.push(...space.problems);
  const calibrationSchemaFailed = schemaProblems.some((p) => p.file === 'calibration.json');
  const calibration = checkCalibration(json, 'calibration.json' in listed.files, calibrationSchemaFailed);
  problems.push(...calibration.problems, ...vocabProblems(json));
  if (space.actionSpace) problems.push(...metricsHeadProblems(json, space.actionSpace));
  const trust = wantsTrustCheck(options)
    ? await checkTrust(listed, hasher, options)
    : { digest: null, fileHashes: null, problems: [] };
  problems.push(...trust.problems);
  const { digest, fileHashes } = trust;
  const inspection = {
    dir: realDir,
    files: listed.files,
    unreadable: listed.unreadable,
    json,
    texts,
    digest,
    fileHashes,
    maxFileBytes,
    schemas,
  };
  return {
    ...inspection,
    actionSpace: space.actionSpace,
    calibration: calibration.calibration,
    problems: withPositions(problems, texts),
  };
}

/** The digest over every listed file (or 'unavailable' when one cannot be hashed), and each file's hash. */
async function checkTrust(listed: ListedFiles, hasher: FileHasher, options: TrustOptions) {
  const names = Object.keys(listed.files);
  let digest = 'unavailable';
  let fileHashes: Record<string, string> | null = null;
  if (listed.unreadable.size === 0) {
    try {
      digest = await bundleDigest(names, hasher);
      fileHashes = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await hasher.sha256(n)] as const)));
    } catch {
      digest = 'unavailable';
    }
  }
  return { digest, fileHashes, problems: trustProblems(digest, options) };
}

/** Fills line:col for problems inside JSON files that do not have one yet. */
export function withPositions(
  problems: readonly LintProblem[],
  texts: Readonly<Record<string, string>>,
): LintProblem[] {
  const cache = new Map<string, ReturnType<typeof jsonPositions>>();
  return problems.map((p) => {
    const text = texts[p.file];
    if (p.line !== undefined || text === undefined) return p;
    if (!cache.has(p.file)) cache.set(p.file, jsonPositions(text));
    const pos = cache.get(p.file)!.at(p.pointer);
    return { ...p, line: pos.line, column: pos.column };
  });
}

function realDirectory(dir: string): string {
  try {
    const real = realpathSync(dir);
    if (statSync(real).isDirectory()) return real;
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_NOT_FOUND,
      `bundle directory ${dir} does not exist; check model.path / --bundle`,
      { context: { bundle: dir }, cause },
    );
  }
  throw new PlannerError(
    ErrorCodes.BUNDLE_NOT_FOUND,
    `bundle path ${dir} is not a directory; point at the bundle directory, not a file`,
    { context: { bundle: dir } },
  );
}
