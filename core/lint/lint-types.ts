/** What `lintBundles` takes and returns. Problem `file`s are relative to their bundle directory ('' = the bundle). */
import type { BackendRegistry } from '../backend/registry.js';
import type { LintProblem } from '../backend/plugin.js';
import type { Logger } from '../logger.js';
import type { SchemaRegistry } from '../schemas.js';

export type { LintProblem };

export interface LintOptions {
  /** Plugins whose bundleSchema and lint() apply; without it only the core checks run. */
  readonly registry?: BackendRegistry;
  readonly schemas?: SchemaRegistry;
  readonly logger?: Logger;
  /** Largest file read, in bytes (checked before reading). */
  readonly maxFileBytes?: number;
  /** Every bundle's digest must be this (docs/bundle-digest.md). */
  readonly expectSha256?: string;
  readonly trustedDigests?: readonly string[];
  /** Known swarm ids (`--universe FILE`). */
  readonly swarmUniverse?: readonly string[];
}

export interface BundleLintResult {
  /** The directory as given. */
  readonly dir: string;
  /** Backend the bundle is for, when it could be told (metadata, config or files). */
  readonly backend: string | null;
  /** Bundle digest, when a trust check ran. */
  readonly digest: string | null;
  readonly problems: readonly LintProblem[];
  readonly errorCount: number;
  readonly warningCount: number;
}

export interface LintReport {
  readonly bundles: readonly BundleLintResult[];
  readonly errorCount: number;
  readonly warningCount: number;
}
