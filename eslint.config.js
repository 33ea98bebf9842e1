// Lint rules plus the layer boundaries of DESIGN.md: core is pure, doors never reach storage.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const outside = (dirs) => dirs.map((d) => ({ group: [`**/${d}/*`, `**/${d}`], message: `this layer may not import ${d}/` }));

export default tseslint.config(
  { ignores: ['bench/_*', 'dist/**', 'node_modules/**', 'data/**', 'console/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Kysely's migration pattern (migrations are frozen in time, typed against no schema) and tests
    // driving the official client, which ships without types.
    files: ['src/store/migrations/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['bin/**/*.mjs', 'scripts/**/*', '*.config.*'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The console (React, runs in the browser): browser globals, the rules of hooks, and it talks to
    // Gatehouse over HTTP only, never by importing server code.
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/*', '../../src/**', 'node:*'], message: 'the console talks to Gatehouse over HTTP only' }] }],
    },
  },
  {
    files: ['console/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: outside(['services', 'store', 'cache', 'http', 'config', 'cli']).concat([{ group: ['fastify', 'kysely', 'pg', 'better-sqlite3', 'pino'], message: 'core is pure' }]) }],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['store', 'http', 'cli']) }] },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['store']) }] },
  },
  {
    // Client commands talk to a server over HTTP; only the admin commands (serve, migrate) are in-process.
    files: ['src/cli/client/**/*.ts', 'src/cli/commands/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['store', 'services', 'http', 'cache']) }] },
  },
  {
    files: ['src/http/doors/kaltura/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['store', 'cache', 'rest', 'consumer', 'delivery']) }] },
  },
);
