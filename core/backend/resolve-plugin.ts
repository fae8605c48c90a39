/**
 * Resolves a `planner.plugins` / `--plugin` specifier to a module URL the way `import` would from the project root:
 * a path (`./x.js`, `/abs/x.mjs`, `file:` URL) against that directory; a package name (`pkg`, `@scope/pkg`,
 * `pkg/sub`) through `node_modules` from the root upwards, with the package's `exports` read under the ESM
 * conditions (`node`, `import`, `default`), so an ESM-only package (exports with just `"import"`) resolves.
 * Node 20's `import.meta.resolve(spec, parent)` needs `--experimental-import-meta-resolve`; this does its job here.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, PlannerError } from '../errors.js';

const CONDITIONS = ['node', 'import', 'default'];

export function resolvePluginUrl(spec: string, fromDir: string): string {
  if (spec.startsWith('file:')) return spec;
  if (spec.startsWith('.') || isAbsolute(spec)) return pathToFileURL(resolve(fromDir, spec)).href;
  const { name, subpath } = splitSpecifier(spec);
  const pkgDir = findPackageDir(name, fromDir);
  if (pkgDir === null) throw notFound(spec, fromDir, `no node_modules/${name} in ${fromDir} or any parent directory`);
  const pkg = readPackageJson(pkgDir, spec);
  const target = pkg.exports !== undefined ? fromExports(pkg.exports, subpath) : legacyEntry(pkgDir, pkg, subpath);
  if (target === null)
    throw notFound(
      spec,
      fromDir,
      `${pkgDir}/package.json has no entry for "${subpath}" under the conditions ${CONDITIONS.join(', ')}`,
    );
  return pathToFileURL(join(pkgDir, target)).href;
}

function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, n).join('/');
  const rest = parts.slice(n).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

function findPackageDir(name: string, fromDir: string): string | null {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

interface PackageJson {
  readonly exports?: unknown;
  readonly main?: unknown;
}

function readPackageJson(pkgDir: string, spec: string): PackageJson {
  try {
    return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as PackageJson;
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.PLUGIN_LOAD_FAILED,
      `planner plugin "${spec}": ${pkgDir}/package.json cannot be read (${(cause as Error).message}); reinstall the package`,
      {
        context: { plugin: spec, file: join(pkgDir, 'package.json') },
        cause,
      },
    );
  }
}

/** The `exports` target for `subpath`: a string, a condition object, an array of fallbacks, or a subpath map. */
function fromExports(exports: unknown, subpath: string): string | null {
  const isSubpathMap =
    typeof exports === 'object' &&
    exports !== null &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditional(exports) : null;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditional(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0 || !subpath.startsWith(key.slice(0, star)) || !subpath.endsWith(key.slice(star + 1))) continue;
    const match = subpath.slice(star, subpath.length - (key.length - star - 1));
    const target = conditional(value);
    return target === null ? null : target.replaceAll('*', match);
  }
  return null;
}

function conditional(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = conditional(t);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.includes(condition)) continue;
      const found = conditional(value);
      if (found !== null) return found;
    }
  }
  return null;
}

/** No `exports`: a subpath as written, else `main` (with Node's legacy extensions), else index.js. */
function legacyEntry(pkgDir: string, pkg: PackageJson, subpath: string): string | null {
  if (subpath !== '.') return subpath;
  const main = typeof pkg.main === 'string' && pkg.main.length > 0 ? pkg.main : null;
  const tries = main ? [main, `${main}.js`, `${main}.mjs`, join(main, 'index.js')] : ['index.js'];
  return tries.find((t) => isFile(join(pkgDir, t))) ?? null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function notFound(spec: string, fromDir: string, why: string): PlannerError {
  return new PlannerError(
    ErrorCodes.PLUGIN_LOAD_FAILED,
    `planner plugin "${spec}" cannot be resolved from ${fromDir}: ${why}; install it there (npm install ${spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]}) or give a file path`,
    {
      context: { plugin: spec, fromDir },
    },
  );
}
