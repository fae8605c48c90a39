/** The writing half of `calibrate`: calibration.json (+ metadata.json checksum), then lint and the new digest. */
import { HEAD_NAMES, type HeadName } from '../../action.js';
import type { BackendRegistry } from '../../backend/registry.js';
import { FileHasher, bundleDigest } from '../../bundle/checks/bundle-digest.js';
import { listBundleFiles } from '../../bundle/checks/check-files.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../bundle/load-bundle.js';
import type { Bundle } from '../../bundle/bundle-types.js';
import type { Dataset } from '../../eval/dataset-reader.js';
import type { HeadQuality } from '../../eval/calibration-fit.js';
import { calibrationKeyStyle, calibrationText, metadataText } from '../../eval/calibration-file.js';
import type { TemperatureFit } from '../../eval/temperature-fit.js';
import { writeBundleFiles, type WriteTarget } from '../../eval/write-bundle-files.js';
import { lintBundle } from '../../lint/lint-bundles.js';
import type { Logger } from '../../logger.js';

export interface CalibrationWrite {
  readonly bundle: Bundle;
  readonly dataset: Dataset;
  readonly fits: Readonly<Record<HeadName, TemperatureFit>>;
  readonly after: Readonly<Record<HeadName, number>>;
  readonly testBefore: Readonly<Record<HeadName, HeadQuality>>;
  readonly testAfter: Readonly<Record<HeadName, HeadQuality>>;
}

function fitRecord(w: CalibrationWrite): Record<string, unknown> {
  const perHead = <T>(f: (h: HeadName) => T) => Object.fromEntries(HEAD_NAMES.map((h) => [h, f(h)]));
  return {
    tool: 'cyntra-planner calibrate',
    objective: 'nll',
    split: 'val',
    dataset_sha256: w.dataset.sha256,
    examples: perHead((h) => w.fits[h].examples),
    val_nll_before: perHead((h) => w.fits[h].nllBefore),
    val_nll_after: perHead((h) => w.fits[h].nllAfter),
    test_ece_before: perHead((h) => w.testBefore[h].ece),
    test_ece_after: perHead((h) => w.testAfter[h].ece),
  };
}

export async function writeCalibration(
  w: CalibrationWrite,
  target: WriteTarget,
  registry: BackendRegistry,
  logger: Logger,
): Promise<{ lines: string[]; lintErrors: number }> {
  const existing = w.bundle.json['calibration.json'];
  const style = calibrationKeyStyle(existing, w.bundle.flavor);
  const calibration = calibrationText(existing, style, w.after, fitRecord(w));
  const files: Record<string, string> = { 'calibration.json': calibration };
  const metadata = metadataText(w.bundle.json['metadata.json'], calibration);
  if (metadata !== null) files['metadata.json'] = metadata;
  const written = writeBundleFiles(w.bundle.dir, target, files);
  const lint = await lintBundle(written.dir, { registry, logger });
  const errors = lint.problems.filter((p) => p.severity === 'error');
  const listed = listBundleFiles(written.dir, DEFAULT_MAX_FILE_BYTES);
  const digest = await bundleDigest(Object.keys(listed.files), new FileHasher(written.dir)).catch(() => 'unavailable');
  const lines = [
    `wrote ${written.dir}/calibration.json (${style === 'spec' ? 'spec key style: temperature.{swarm,…}' : 'Python key style: temperatures.{swarm_id,…_bin}'})${metadata !== null ? ' and the calibration.json checksum in metadata.json' : ''}`,
    ...(written.backupDir ? [`replaced files backed up in ${written.backupDir}`] : []),
    `lint: ${errors.length} errors${errors.map((p) => `\n  ${p.code}: ${p.file}: ${p.message}`).join('')}`,
    `bundle digest is now sha256:${digest}; where this bundle is pinned (planner.model.trusted_digests, lint --expect-sha256), approve the new digest`,
  ];
  return { lines, lintErrors: errors.length };
}
