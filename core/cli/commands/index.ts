/** Every CLI command, in the order `--help` lists them. */
import type { Command } from '../command.js';
import { backendsCommand } from './backends.js';
import { bestOfKCommand } from './best-of-k.js';
import { convertCommand } from './convert.js';
import { datasetCommand } from './dataset.js';
import { encodeCommand } from './encode.js';
import { evalCommand } from './eval.js';
import { calibrateCommand } from './calibrate.js';
import { lintCommand } from './lint.js';
import { logitsCommand } from './logits.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { queueCommand } from './queue.js';
import { runCommand } from './run.js';
import { workerCommand } from './worker.js';

export const commands: readonly Command[] = [
  runCommand,
  predictCommand,
  encodeCommand,
  logitsCommand,
  lintCommand,
  convertCommand,
  backendsCommand,
  bestOfKCommand,
  datasetCommand,
  evalCommand,
  calibrateCommand,
  reportCommand,
  workerCommand,
  queueCommand,
];
