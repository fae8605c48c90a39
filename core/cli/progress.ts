/**
 * Progress of long offline work on stderr: one line rewritten in place at a terminal, else a line at each tenth of
 * the work (and at the end), so logs of a non-interactive run stay short.
 */
import type { CliIO } from './command.js';

export type ProgressFn = (done: number, total: number) => void;

export function progressReporter(io: CliIO, label: string): ProgressFn {
  let lastTenth = -1;
  return (done, total) => {
    const text = `${label}: ${done}/${total} rows`;
    if (io.isTTY) {
      io.stderr(`\r${text}${done >= total ? '\n' : ''}`);
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      io.stderr(`${text}\n`);
    }
  };
}
