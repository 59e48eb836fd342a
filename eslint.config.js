// Lint rules for the whole tree. Type-aware rules stay off to keep `npm test` fast;
// the strict typecheck (`tsc --noEmit`) covers what they would find.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Time is passed in: the pure domain (and the demo, config) never reads the clock itself.
const DATE_NOW = {
  selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
  message: 'Pass time in (ctx.now / clock) instead of calling Date.now() in domain code.',
};

// All SQL lives in the storage layer (src/db): elsewhere, call a verb-first function of a query
// module in src/db/queries instead of building a query.
const QUERY_BUILDING = ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'with'].map((m) => ({
  selector: `CallExpression[callee.type='MemberExpression'][callee.property.name='${m}']`,
  message: `Query building (.${m}) belongs in src/db/queries: add or use a query function there.`,
}));
const NO_SQL_IMPORT = {
  name: 'kysely',
  importNames: ['sql'],
  message: 'SQL belongs in src/db/queries: add or use a query function there (type imports from kysely are fine).',
};

// Flat config: a later block's setting of a rule replaces an earlier one for the files it
// matches, so each block below names every selector that applies to its files.
const EDGES = ['src/server/**', 'src/cli/**', 'src/web/**', 'src/crypto/**', 'src/services/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        localStorage: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        crypto: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', DATE_NOW],
    },
  },
  {
    // Only the pure domain is held to "time is passed in"; the edges may read the clock. The
    // storage layer builds queries; so do tests and benchmarks, which read tables directly to
    // assert storage facts (what a shred left, what a rotation rewrote) and to set up load.
    files: ['src/db/**', 'scripts/**', 'bench/**', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The edges may read the clock, but not build queries.
    files: EDGES,
    rules: { 'no-restricted-syntax': ['error', ...QUERY_BUILDING] },
  },
  {
    // The rest of src (domain, demo, config): neither the clock nor queries.
    files: ['src/**'],
    ignores: ['src/db/**', ...EDGES],
    rules: { 'no-restricted-syntax': ['error', DATE_NOW, ...QUERY_BUILDING] },
  },
  {
    files: ['src/**'],
    ignores: ['src/db/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_SQL_IMPORT] }] },
  },
  {
    // Routes, the server's plumbing, CLI commands, the web app and the demo load call a use case
    // (src/services; the demo's resume reads are in services/demo), never the storage layer's
    // queries (the connection, its lock and its error mapping are infrastructure and stay importable).
    files: ['src/server/**', 'src/cli/**', 'src/web/**', 'src/demo/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_SQL_IMPORT],
          patterns: [
            {
              group: ['**/db/queries/*'],
              message: 'Routes, the server, CLI commands, the web app and the demo go through a service in src/services.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web app takes URLs from the zod-free table derived from the contract (src/web/api/endpoints.ts):
    // a value imported from a contract module would bundle its schemas, and zod, into the pages.
    files: ['src/web/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/api/*', '!**/domain/api/endpoint.js'],
              allowTypeImports: true,
              message: 'Use src/web/api/endpoints.ts (method and path only); import the contract for its types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain imports nothing with I/O (and, as all of src outside src/db, no `sql`).
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_SQL_IMPORT],
          patterns: [
            '**/db/**',
            '**/server/**',
            '**/services/**',
            'node:fs',
            'node:net',
            'node:http',
            'fastify',
            'pg',
            '@electric-sql/*',
            'react',
          ],
        },
      ],
    },
  },
  {
    // No import circles in the application: a module's imports form a tree with the domain at the
    // bottom, so each folder can be read (and tested) without the ones above it.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
);
