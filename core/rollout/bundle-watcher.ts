/**
 * `planner.model.watch: true`: watches the bundle directory and asks for a reload when `metadata.json` appears or
 * is replaced in it, after `debounceMs` of quiet. The convention a writer follows: write or replace every other
 * file first, then write `metadata.json.tmp` and rename it to `metadata.json` (rename is atomic), so the reload
 * starts only once the whole bundle is in place. Other files changing alone trigger nothing (SIGHUP does).
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../logger.js';

export const WATCHED_FILE = 'metadata.json';

export class BundleWatcher {
  private readonly watcher: FSWatcher;
  private timer: NodeJS.Timeout | null = null;

  constructor(dir: string, debounceMs: number, onChange: () => void, logger: Logger) {
    this.watcher = watch(dir, { persistent: false }, (_event, filename) => {
      if (filename !== WATCHED_FILE) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        onChange();
      }, debounceMs);
    });
    this.watcher.on('error', (e) =>
      logger.warn({ dir, err: String(e) }, 'bundle watcher stopped; SIGHUP still reloads'),
    );
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher.close();
  }
}
