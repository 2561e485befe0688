import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every folder under apps/ is an app: a new one is covered without editing this file.
const apps = readdirSync(new URL('./apps', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
// Gateways are edges: no database at all (their state is in NATS KV and object stores).
const edges = apps.filter((a) => a.startsWith('gateway-'));
const libBoundaries = [
  { group: ['**/apps/**'], message: 'Libs never import apps.' },
  { group: ['nats', 'nats/*'], message: 'Only libs/bus imports the NATS client.' },
];
const noStore = {
  group: ['@omnigate/store', '@omnigate/store/*', '**/libs/store/**'],
  message: 'An edge holds no database: keep its state in NATS (libs/gateway-kit).',
};

// apps -> libs only; no app imports another app; libs never import apps;
// only libs/bus imports the NATS client, only libs/store the database drivers.
// Integration tests of an app may boot the sandbox (or another app) as a test peer; production
// code under apps/<app>/src never imports another app.
const appRules = apps.map((app) => ({
  files: [`apps/${app}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: apps
              .filter((a) => a !== app)
              .flatMap((a) => [`**/apps/${a}/**`, `**/${a}/src/**`]),
            message: 'An app must not import another app: move the shared code to a lib.',
          },
          {
            group: ['**/libs/*/src/**', '!@omnigate/*'],
            message: 'Import a lib through @omnigate/<lib>.',
          },
          { group: ['nats', 'nats/*'], message: 'Only libs/bus imports the NATS client.' },
          {
            group: [
              'pg',
              '@electric-sql/pglite',
              '@electric-sql/pglite/*',
              'drizzle-orm/pglite*',
              'drizzle-orm/node-postgres*',
            ],
            message: 'Only libs/store imports the database drivers.',
          },
          ...(edges.includes(app) ? [noStore] : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'artifacts/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The two TypeScript projects named, not found per file (projectService): the same
      // program, 15% less CPU for a full lint.
      parserOptions: {
        project: ['./tsconfig.json', './apps/console/web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  ...appRules,
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/bus/**', 'libs/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: libBoundaries }] },
  },
  {
    files: ['libs/gateway-kit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...libBoundaries, noStore] }] },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
