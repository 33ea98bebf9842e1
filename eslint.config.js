// Lint rules plus the layer boundaries of DESIGN.md: core is pure, doors never reach storage.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
