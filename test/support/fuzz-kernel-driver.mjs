// Runs the built kernel (dist/core/kernel) on a project, like `cyntra-planner run --config FILE`, for the load test
// while the CLI's `run` command is not registered. Plain ESM because it runs as a child process on Node 20.
// Usage: node fuzz-kernel-driver.mjs <dist root> <config file>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, file] = process.argv.slice(2);
const load = async (rel) => import(pathToFileURL(join(dist, rel)).href);
const { runKernel } = await load('core/kernel/kernel.js');
const { loadKernelConfig } = await load('core/kernel/load-config.js');
const { readIssues } = await load('core/kernel/issue-source.js');
const { progressLine } = await load('core/kernel/summary-table.js');
const { createDefaultRegistry } = await load('plugins/index.js');
const { config } = loadKernelConfig({ cwd: process.cwd(), file });
const report = await runKernel(config, readIssues(config.kernel.issues), {
  registry: createDefaultRegistry(),
  onIssue: (r) => process.stdout.write(`${progressLine(r)}\n`),
});
process.exitCode = report.interrupted ? 1 : 0;
