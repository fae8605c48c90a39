/** `cyntra-planner report`: reads a workcells directory and reports the rollout (HTML, JSON or text tables). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { buildReport } from '../../report/build-report.js';
import { scanWorkcells } from '../../report/read-workcells.js';
import { renderHtml } from '../../report/render-html.js';
import { renderTable } from '../../report/render-table.js';
import { REPORT_SCHEMA_ID } from '../../report/report-types.js';
import { SchemaRegistry } from '../../schemas.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

const HELP = `Usage: cyntra-planner report --workcells DIR [--out DIR] [--since T] [--format html|json|table]

Reads every <DIR>/<workcell>/manifest.json (and run-summary.json) a kernel run wrote and reports: decisions by
source and reason, the fallback rate over time, shadow agreement (model plan vs executed plan, per head and exact),
outcomes by source and by executed action (success/failed/timeout, duration, cost where recorded), the model's
confidence distribution and a threshold sweep, inference latency percentiles per backend, model versions (bundle
digests) and each challenger against the champion. Truncated, foreign or unreadable manifests are counted and
listed, never fatal.

  --workcells DIR   the kernel.workcells directory of a run (required)
  --out DIR         write report.html, report.json or report.txt into DIR (created); default: print on stdout
  --since T         only manifests created at or after T: an RFC 3339 time (2026-01-31T00:00:00Z) or an age
                    (90m, 24h, 7d)
  --format F        html | json | table (default: html with --out, table on stdout). json follows
                    schemas/planner-report.schema.json

Exit codes: 0 success, 1 a failed operation, 2 bad usage or a missing/empty workcells directory.`;

const FORMATS = ['html', 'json', 'table'] as const;
type Format = (typeof FORMATS)[number];
const FILE_OF: Record<Format, string> = { html: 'report.html', json: 'report.json', table: 'report.txt' };

export const reportCommand: Command = {
  name: 'report',
  summary: 'report a rollout from the manifests of a workcells directory',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCommandArgs('report', argv, {
      workcells: { type: 'string' },
      out: { type: 'string' },
      since: { type: 'string' },
      format: { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const dir = resolve(io.cwd, requireOption('report', values.workcells, '--workcells'));
    const format = parseFormat(values.format, values.out !== undefined);
    const now = Date.now();
    const sinceMs = values.since === undefined ? null : parseSince(values.since, now);
    const schemas = new SchemaRegistry();
    const scan = scanWorkcells(dir, { sinceMs, schemas });
    const report = buildReport(scan, {
      workcells: dir,
      since: sinceMs === null ? null : new Date(sinceMs).toISOString(),
      now,
    });
    schemas.assertValid(REPORT_SCHEMA_ID, report, 'report');
    const text =
      format === 'html'
        ? renderHtml(report)
        : format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderTable(report);
    if (scan.skipped.length > 0)
      io.stderr(
        `cyntra-planner: report: ${scan.skipped.length} of ${scan.found} manifests skipped (listed in the report)\n`,
      );
    if (values.out === undefined) return (io.stdout(text), EXIT_OK);
    const outDir = resolve(io.cwd, values.out);
    const file = join(outDir, FILE_OF[format]);
    try {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(file, text);
    } catch (cause) {
      throw new PlannerError(
        ErrorCodes.IO_FAILED,
        `report: cannot write ${file} (${(cause as NodeJS.ErrnoException).code ?? cause}); pass a writable --out directory`,
        { context: { file }, cause },
      );
    }
    io.stdout(`${file}\n`);
    return EXIT_OK;
  },
};

function parseFormat(value: string | undefined, toFile: boolean): Format {
  if (value === undefined) return toFile ? 'html' : 'table';
  if (!(FORMATS as readonly string[]).includes(value))
    throw new PlannerError(ErrorCodes.USAGE, `report: --format must be one of ${FORMATS.join(', ')}, got "${value}"`);
  return value as Format;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An RFC 3339 time or an age (`24h`) before `now`, as epoch ms. */
export function parseSince(value: string, now: number): number {
  const age = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]];
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw new PlannerError(
      ErrorCodes.USAGE,
      `report: --since must be an RFC 3339 time (2026-01-31T00:00:00Z) or an age (90m, 24h, 7d), got "${value}"`,
    );
  return ms;
}
