// ESLint (flat config) with typescript-eslint, for the style the code already has; formatting is Prettier's
// (.prettierrc.json, checked by `npm run lint`). House rules enforced here: core/ never imports plugins/ except the
// CLI wiring file (core/cli/main.ts; test/core/boundary.test.ts checks the same graph), no console.* in library code.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const NO_PLUGINS = {
  patterns: [
    {
      group: ['**/plugins/*', '**/plugins/**', '**/plugins/index.js'],
      message:
        'core/ never imports plugins/: take a BackendRegistry (or the function you need) as a dependency; core/cli/main.ts wires the built-in plugins.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/bundles/**', '.vitest-report.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        globalThis: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        __dirname: 'readonly',
        AbortController: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  { files: ['core/**/*.ts'], ignores: ['core/cli/main.ts'], rules: { 'no-restricted-imports': ['error', NO_PLUGINS] } },
  // Scripts and processes whose output is the point (the demo's fake runner prints like a real one).
  {
    files: ['test/**', 'bench/**', 'fixtures/tools/**', 'fixtures/demo/**', 'eslint.config.js'],
    rules: { 'no-console': 'off' },
  },
  // Number literals past 2**53 are the cases under test (Python int parity).
  {
    files: ['test/core/canonical-json.test.ts', 'test/encoders/python-semantics.test.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
