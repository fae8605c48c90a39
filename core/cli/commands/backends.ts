/** `cyntra-planner backends`: registered backends, aliases, and whether each can run here (and why not). */
import { PLUGIN_ARGS, loadCliPlugins, pluginHelp } from '../plugin-options.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

const HELP = `Usage: cyntra-planner backends [--json] [--plugin SPEC]... [--config FILE]

Lists the registered backends (built-in, and third-party ones named with --plugin), their aliases and priority,
and whether each is available on this machine; when one is not, the reason its init() failed.

  --json            print a JSON array instead of a table
${pluginHelp('', 20, false)}`;

export const backendsCommand: Command = {
  name: 'backends',
  summary: 'list backends and whether each is available here',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('backends', argv, { json: { type: 'boolean' }, ...PLUGIN_ARGS });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const { registry } = deps;
    await loadCliPlugins(values, io, registry);
    const rows = await registry.availability();
    if (values.json) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT_OK;
    }
    const lines = rows.map((r) => [
      r.name,
      r.aliases.join(',') || '-',
      String(r.priority),
      r.available ? 'yes' : 'no',
      r.available ? r.description : (r.reason ?? ''),
    ]);
    io.stdout(`${table([['BACKEND', 'ALIASES', 'PRIORITY', 'AVAILABLE', 'NOTES'], ...lines])}\n`);
    return EXIT_OK;
  },
};

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '))
    .join('\n');
}
