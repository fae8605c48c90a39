/** `cyntra-planner dataset`: builds a planner dataset (outcome or Stage-A) as dataset.jsonl + meta.json. */
import { resolve } from 'node:path';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { sortAndSplit, writeDataset } from '../../bench/dataset-file.js';
import { OUTCOME_DATASET_SCHEMA_VERSION, outcomeRows, type BuiltRows } from '../../bench/outcome-dataset.js';
import { STAGE_A_DATASET_SCHEMA_VERSION, stageARows } from '../../bench/stage-a-dataset.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

const HELP = `Usage: cyntra-planner dataset (--bench DIR | --workcells DIR) --out DIR

Builds a planner dataset: OUT/dataset.jsonl (one row per line, canonical JSON with sorted keys) and OUT/meta.json
(example_count, split_counts, dataset_hash = SHA-256 over every row's canonical JSON plus "\\n", the skipped rows).
Rows are sorted by (started_ms, run_id) and split by time: the first int(n*0.8) train, the next int(n*0.1) val,
the rest test.

  --bench DIR       a best-of-k output directory: the outcome dataset (cyntra.planner_outcome_dataset.v1), one row
                    per benched issue, labelled with the winner's planner_action, carrying the bench candidates
  --workcells DIR   a kernel workcells directory: the Stage-A dataset, one row per finished workcell, labelled with
                    the plan that ran (run-summary action_executed mapped to bins, checkpoint id executed_plan)
  --out DIR         where dataset.jsonl and meta.json go (written atomically)

A record, manifest or summary that cannot be used is reported on stderr (file and line) and skipped; the rest of the
dataset is still built, and the skipped count is printed and kept in meta.json.

Exit codes: 0 built (even with skipped rows), 1 a failed write, 2 bad usage or an unreadable source.`;

export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'build dataset.jsonl + meta.json from a best-of-k directory or kernel workcells',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCommandArgs('dataset', argv, {
      bench: { type: 'string' },
      workcells: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const out = resolve(io.cwd, requireOption('dataset', values.out, '--out'));
    if ((values.bench === undefined) === (values.workcells === undefined)) {
      throw new PlannerError(
        ErrorCodes.USAGE,
        'dataset: pass exactly one of --bench DIR or --workcells DIR; see `cyntra-planner dataset --help`',
      );
    }
    const outcome = values.bench !== undefined;
    const built: BuiltRows = outcome
      ? outcomeRows(resolve(io.cwd, values.bench!))
      : stageARows(resolve(io.cwd, values.workcells!));
    for (const s of built.skipped) io.stderr(`dataset: skipped ${s.where}: ${s.reason}\n`);
    const rows = sortAndSplit(built.rows);
    const meta = writeDataset(out, {
      schemaVersion: outcome ? OUTCOME_DATASET_SCHEMA_VERSION : STAGE_A_DATASET_SCHEMA_VERSION,
      source: built.source,
      rows,
      skipped: built.skipped,
      now: Date.now(),
    });
    const c = meta.split_counts;
    io.stdout(
      `dataset: ${meta.example_count} rows (train ${c.train}, val ${c.val}, test ${c.test}), ${meta.skipped_count} skipped; dataset_hash ${meta.dataset_hash}\n${out}/dataset.jsonl\n`,
    );
    return EXIT_OK;
  },
};
