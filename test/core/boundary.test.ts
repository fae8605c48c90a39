/**
 * The core/plugins boundary: nothing under core/ imports plugins/ except core/cli/main.ts, the one file that wires
 * the built-in plugins; `import 'cyntra-planner'` (core/index.ts) reaches no plugin module, statically or at run time.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { importsOf, reachableFrom, sourceFiles } from '../support/import-graph.js';

const ROOT = packageRoot();
const WIRING = 'core/cli/main.ts';

describe('core/plugins boundary', () => {
  it('no file under core/ imports plugins/ except the CLI wiring file', () => {
    const offenders = sourceFiles(ROOT, 'core').flatMap((file) =>
      importsOf(ROOT, file)
        .filter((dep) => dep.startsWith('plugins/'))
        .map((dep) => `${file} -> ${dep}`),
    );
    expect(offenders.filter((o) => !o.startsWith(`${WIRING} `))).toEqual([]);
    // The check sees the wiring file's imports, so it would see anyone else's.
    expect(offenders.some((o) => o.startsWith(`${WIRING} -> plugins/`))).toBe(true);
  });

  it('core/index.ts reaches no plugin module and not the CLI wiring file', () => {
    const reached = [...reachableFrom(ROOT, 'core/index.ts')];
    expect(reached.length).toBeGreaterThan(20);
    expect(reached.filter((f) => f.startsWith('plugins/') || f === WIRING)).toEqual([]);
  });

  it("import 'cyntra-planner' loads no plugin module at run time (built files)", () => {
    // A resolve hook in the child reports every module URL the import loads.
    const hook =
      'let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }';
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const urls = [];
      port1.on('message', (u) => urls.push(u));
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
      await import('cyntra-planner');
      await new Promise((r) => setTimeout(r, 100));
      port1.close();
      console.log(JSON.stringify(urls));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const urls = JSON.parse(out) as string[];
    expect(urls.some((u) => u.includes('/dist/core/index.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('/dist/plugins/'))).toEqual([]);
  });
});
