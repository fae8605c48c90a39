/**
 * A model bundle as the core reads it: a directory, its file list, its parsed JSON files, and safe access to the rest.
 * Plugins receive a `Bundle`; they never resolve paths themselves (`bundle.resolve` refuses anything outside the
 * bundle or missing from its checked listing).
 */
import type { ActionSpace } from '../action-space.js';
import type { Temperatures } from '../calibration.js';

export interface BundleFileInfo {
  readonly size: number;
}

/** The spec's `config.json` (track-5 §3.2), with the optional keys this project adds. */
export interface BundleConfig {
  readonly model_type?: string;
  readonly d_in?: number;
  readonly d_hidden?: number;
  readonly n_layers?: number;
  /** `features.v1` | `tokens.v1`; without it, `vocab.json` implies tokens.v1, else features.v1. */
  readonly encoder?: string;
  /** `geomean` (spec, default) or `min` (Python planner). */
  readonly confidence?: 'geomean' | 'min';
  readonly [key: string]: unknown;
}

/** `spec`: config.json-described bundle (model.onnx / model.pt / model.json). `python`: the Python planner's layout. */
export type BundleFlavor = 'spec' | 'python';

/** The plain-data view a plugin's `bundleSchema` validates. */
export interface BundleView {
  readonly files: Readonly<Record<string, BundleFileInfo>>;
  readonly json: Readonly<Record<string, unknown>>;
}

export interface Bundle extends BundleView {
  /** Absolute, real path of the bundle directory. */
  readonly dir: string;
  /** Directory base name; used as `model.checkpoint_id` unless metadata names one. */
  readonly checkpointId: string;
  readonly flavor: BundleFlavor;
  readonly config: BundleConfig | null;
  readonly actionSpace: ActionSpace;
  /** Null when the bundle has no calibration.json. */
  readonly calibration: Temperatures | null;
  readonly confidenceMode: 'geomean' | 'min';
  /** Largest file the loaders read, in bytes. */
  readonly maxFileBytes: number;
  /**
   * Absolute path of a file of the bundle's checked listing (`files`, every depth). Throws BUNDLE_PATH_ESCAPE for
   * `..`, absolute paths or symlinks out, and BUNDLE_FILE_MISSING for any name the listing lacks.
   */
  resolve(name: string): string;
  has(name: string): boolean;
  /**
   * Reads a file of the listing (as `resolve`), refusing files over `maxFileBytes` (BUNDLE_FILE_TOO_LARGE); when the
   * bundle digest was checked, also a file whose bytes changed since (BUNDLE_UNTRUSTED).
   */
  readFile(name: string): Promise<Buffer>;
}
