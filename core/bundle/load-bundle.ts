/**
 * Reads a bundle directory into a `Bundle`: the file list, the parsed and schema-checked JSON files, the action
 * space, calibration, flavour and confidence convention. Loads no model: plugins do that through `bundle.readFile`,
 * which opens only the files of the checked (and, with a trust option, hashed) listing (`bundle-reader.ts`).
 * The checks are the shared ones of `checks/` (the same `lint` runs): the first error found is thrown, with its code.
 */
import { basename } from 'node:path';
import type { SchemaRegistry } from '../schemas.js';
import type { Bundle, BundleConfig } from './bundle-types.js';
import { createBundleReader } from './bundle-reader.js';
import { errorFromProblem, firstError } from './checks/bundle-problem.js';
import { DEFAULT_MAX_FILE_BYTES, inspectBundle, type BundleInspection } from './checks/inspect-bundle.js';

export { DEFAULT_MAX_FILE_BYTES };

export interface LoadBundleOptions {
  readonly maxFileBytes?: number;
  readonly schemas?: SchemaRegistry;
  /** The bundle digest (docs/bundle-digest.md) must be this one; else BUNDLE_UNTRUSTED. */
  readonly expectSha256?: string;
  /** Kernel-side allow-list of bundle digests; when given, any other bundle is BUNDLE_UNTRUSTED. */
  readonly trustedDigests?: readonly string[];
  /** Known swarm ids; when given, an action space naming another is refused (SWARM_UNKNOWN). */
  readonly swarmUniverse?: readonly string[];
}

export async function loadBundle(dir: string, options: LoadBundleOptions = {}): Promise<Bundle> {
  const inspection = await inspectBundle(dir, options);
  const error = firstError(inspection.problems);
  if (error) throw errorFromProblem(inspection.dir, error);
  return bundleFromInspection(inspection);
}

/** The `Bundle` of an inspection whose action space parsed (lint uses it for plugin checks despite other errors). */
export function bundleFromInspection(inspection: BundleInspection): Bundle {
  const { dir: realDir, files, json, maxFileBytes } = inspection;
  if (!inspection.actionSpace) throw errorFromProblem(realDir, firstError(inspection.problems)!);
  const config = (json['config.json'] as BundleConfig | undefined) ?? null;
  const flavor = config ? 'spec' : 'python';
  return {
    dir: realDir,
    checkpointId: basename(realDir),
    files,
    json,
    flavor,
    config,
    actionSpace: inspection.actionSpace,
    calibration: inspection.calibration,
    confidenceMode: config?.confidence ?? (flavor === 'python' ? 'min' : 'geomean'),
    maxFileBytes,
    ...createBundleReader({ dir: realDir, files, maxFileBytes, fileHashes: inspection.fileHashes }),
  };
}
