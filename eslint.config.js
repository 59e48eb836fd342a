// Lint rules for the whole tree. Type-aware rules stay off to keep `npm test` fast;
// the strict typecheck (`tsc --noEmit`) covers what they would find.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass time in (ctx.now / clock) instead of calling Date.now() in domain code.',
        },
      ],
    },
  },
  {
    // Only the pure domain is held to "time is passed in"; the edges may read the clock.
    files: [
      'src/server/**',
      'src/db/**',
      'src/cli/**',
      'src/web/**',
      'src/crypto/**',
      'scripts/**',
      'bench/**',
      'test/**',
      'src/services/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
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
);
