/** What `lintBundles` takes and returns. Problem `file`s are relative to their bundle directory ('' = the bundle). */
import type { BackendRegistry } from '../backend/registry.js';
import type { LintProblem } from '../backend/plugin.js';
import type { Logger } from '../logger.js';
import type { SchemaRegistry } from '../schemas.js';
import type { WarmUpNote } from './warm-up-check.js';

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
  /**
   * Run the loader's warm-up inference on bundles that pass every other check, when the backend's runtime is
   * available (needs `registry`). Default true; false keeps lint fully offline (`--no-warm-up`).
   */
  readonly warmUp?: boolean;
  /** Bound on that warm-up (createSession + one inference); default 30000. */
  readonly warmUpTimeoutMs?: number;
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
  /** Whether the loader's warm-up inference ran (or why it was skipped); null when it was not attempted. */
  readonly warmUp: WarmUpNote | null;
}

export interface LintReport {
  readonly bundles: readonly BundleLintResult[];
  readonly errorCount: number;
  readonly warningCount: number;
}
