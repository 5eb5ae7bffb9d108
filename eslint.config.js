// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layer direction (docs: ../shared/GUIDE.md):
 *   domain ← ports ← app/engine ← adapters, storage, http, jobs ← main
 * Each entry lists the folders a layer must NOT import from.
 */
const layerRules = [
  {
    files: ['src/domain/**/*.ts'],
    forbid: ['ports', 'app', 'engine', 'storage', 'http', 'jobs', 'adapters', 'main', 'config'],
  },
  {
    files: ['src/ports/**/*.ts'],
    forbid: ['app', 'engine', 'storage', 'http', 'jobs', 'adapters', 'main', 'config'],
  },
  {
    files: ['src/app/**/*.ts', 'src/engine/**/*.ts'],
    forbid: ['storage', 'http', 'jobs', 'adapters', 'main', 'config'],
  },
  { files: ['src/storage/**/*.ts'], forbid: ['app', 'engine', 'http', 'jobs', 'adapters', 'main'] },
  { files: ['src/http/**/*.ts', 'src/jobs/**/*.ts'], forbid: ['storage', 'adapters', 'main'] },
  { files: ['adapters/**/*.ts'], forbid: ['app', 'engine', 'storage', 'http', 'jobs', 'main'] },
  { files: ['flows/**/*.ts'], forbid: ['storage', 'http', 'jobs', 'adapters', 'main'] },
];

function patternsFor(/** @type {string[]} */ forbid) {
  return forbid.map((layer) => ({
    group: [`**/${layer}/**`, `**/${layer}.js`],
    message: `This layer may not import from "${layer}" (see GUIDE.md, layers).`,
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'drizzle/**', 'dist/**', '.data/**', '.test-data/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...layerRules.map(({ files, forbid }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(forbid) }] },
  })),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
