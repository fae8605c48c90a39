/** Locates files shipped with the package (schemas, fixtures) from source (`core/`) and from build (`dist/core/`). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'cyntra-planner') return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cyntra-planner: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export function schemasDir(): string {
  return join(packageRoot(), 'schemas');
}
