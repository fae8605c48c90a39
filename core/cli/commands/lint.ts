/** `cyntra-planner lint DIR…`: offline, schema-driven checks of model bundles (issue 7). */
import { resolve } from 'node:path';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { formatReport, isLintFormat, LINT_FORMATS, lintBundles, type LintFormat } from '../../lint/index.js';
import { normalizeDigest } from '../../bundle/checks/check-trust.js';
import { parseCommandArgs } from '../args.js';
import { PLUGIN_ARGS, loadCliPlugins, pluginHelp } from '../plugin-options.js';
import { readInputFile } from '../../read-input-file.js';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';

const HELP = `Usage: cyntra-planner lint [--format stylish|json|sarif] [--max-warnings N] [--max-file-bytes N]
                           [--expect-sha256 HEX] [--universe FILE] [--plugin SPEC]... [--config FILE] [--no-warm-up]
                           DIR...

Checks model bundles without loading them into a kernel: every JSON file against its schema (metadata.json,
config.json, action_space.json, calibration.json, vocab.json, and the schema of the bundle's backend), cross-file
consistency (head widths vs bins, vocab [PAD]/[UNK], checksums in metadata.json), the backend's own checks (graph
inputs/outputs, weight manifests, pickles through the restricted unpickler), and containment (no file outside the
bundle, sizes capped before reading). Errors are what the loader refuses, with the same code; warnings are what is
only incomplete (no metadata.json, no calibration.json, no checksums). A bundle that passes every check and whose
backend runtime is available here is then warmed up as the loader does (the session is created and one dummy
inference must give finite logits of the right widths); the summary says on how many bundles that ran, and a
skipped warm-up is listed with its reason.

The backend whose checks run is metadata.json "backend", else config.json "model_type" when it names a registered
backend, else the one its model file implies (model.onnx/planner.onnx: onnx; model.pt/model.json: tfjs). A
third-party backend's checks (its bundleSchema, its jsonFiles, its lint()) run only when its plugin is loaded.

  --format F          stylish (default), json, or sarif (SARIF 2.1.0)
  --max-warnings N    also exit 1 when there are more than N warnings
  --max-file-bytes N  largest file read, checked before reading (default 268435456)
  --expect-sha256 HEX every bundle's digest must be HEX (docs/bundle-digest.md); a bundle never vouches for itself
  --universe FILE     known swarm ids (a JSON array, {"swarm_ids": [...]}, or one id per line)
${pluginHelp('', 22, false)}
  --no-warm-up        never load a runtime or run inference (offline checks only)

Exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 bad usage.`;

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check model bundles (schemas, shapes, checksums, containment, then the loader warm-up)',
  help: HELP,
  async run(argv, io, deps) {
    const { values, positionals } = parseCommandArgs(
      'lint',
      argv,
      {
        format: { type: 'string' },
        'max-warnings': { type: 'string' },
        'max-file-bytes': { type: 'string' },
        'expect-sha256': { type: 'string' },
        universe: { type: 'string' },
        ...PLUGIN_ARGS,
        'no-warm-up': { type: 'boolean' },
      },
      true,
    );
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    if (positionals.length === 0) throw usage('give at least one bundle directory');
    const format = parseFormat(values.format);
    const maxWarnings = parseCount(values['max-warnings'], '--max-warnings', 0);
    const maxFileBytes = parseCount(values['max-file-bytes'], '--max-file-bytes', 1);
    const expectSha256 = parseDigest(values['expect-sha256']);
    const swarmUniverse = values.universe === undefined ? undefined : readUniverse(resolve(io.cwd, values.universe));
    const { registry } = deps;
    await loadCliPlugins(values, io, registry);
    const dirs = positionals.map((d) => resolve(io.cwd, d));
    const report = await lintBundles(dirs, {
      registry,
      logger: io.logger,
      maxFileBytes,
      expectSha256,
      swarmUniverse,
      warmUp: values['no-warm-up'] !== true,
    });
    io.stdout(formatReport(report, format, io.cwd));
    const tooManyWarnings = maxWarnings !== undefined && report.warningCount > maxWarnings;
    if (tooManyWarnings && report.errorCount === 0)
      io.stderr(`cyntra-planner: lint: ${report.warningCount} warnings, more than --max-warnings ${maxWarnings}\n`);
    return report.errorCount > 0 || tooManyWarnings ? EXIT_FAILED : EXIT_OK;
  },
};

function usage(message: string): PlannerError {
  return new PlannerError(ErrorCodes.USAGE, `lint: ${message}; see \`cyntra-planner lint --help\``);
}

/** A whole number ≥ `min` written in decimal digits (`1.5`, `1e3`, `0x10`, ` 2` are usage errors). */
function parseCount(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw usage(`${flag} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

function parseFormat(value: string | undefined): LintFormat {
  if (value === undefined) return 'stylish';
  if (!isLintFormat(value)) throw usage(`--format must be one of ${LINT_FORMATS.join(', ')}, got "${value}"`);
  return value;
}

function parseDigest(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^(sha256:)?[0-9a-f]{64}$/i.test(value))
    throw usage(`--expect-sha256 must be 64 hex digits (optionally sha256:HEX), got "${value}"`);
  return normalizeDigest(value);
}

/** A JSON array of ids, an object with `swarm_ids`, or plain text with one id per line. */
export function readUniverse(path: string): string[] {
  const text = readInputFile(path);
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const value = readJsonText(trimmed, path);
    const ids = Array.isArray(value) ? value : (value as { swarm_ids?: unknown }).swarm_ids;
    if (Array.isArray(ids) && ids.every((s) => typeof s === 'string')) return ids as string[];
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `--universe ${path}: expected a JSON array of swarm ids or {"swarm_ids": [...]}`,
      { context: { file: path } },
    );
  }
  return trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

function readJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `--universe ${path}: invalid JSON (${(cause as Error).message})`, {
      cause,
      context: { file: path },
    });
  }
}
