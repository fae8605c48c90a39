// Writes docs/errors.md from the error catalogue (core/error-catalogue.ts) of the built package: `npm run gen:errors`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { renderErrorsMarkdown } = await import(pathToFileURL(join(root, 'dist', 'core', 'error-docs.js')).href);
writeFileSync(join(root, 'docs', 'errors.md'), renderErrorsMarkdown());
console.log('wrote docs/errors.md');
