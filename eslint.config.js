// Lint, including the one-way layer rules of ARCHITECTURE.md rule 1. A layer breach fails CI.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const NODE_ONLY = {
  regex: '^(node:|better-sqlite3$|conf$|electron-store$|lossless-json$|luxon$)',
  message: 'Node-only module.',
};
const ELECTRON = { regex: '^electron(/.*)?$', message: 'Only electron/main and electron/preload may import Electron.' };

export default ts.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'coverage/', '.data/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['bench/**', 'scripts/**', 'test/**'], rules: { 'no-console': 'off' } },

  // shared/ imports nothing of ours and no platform: no Node, no Electron, no DOM-only code.
  layer(
    ['shared/**'],
    [
      NODE_ONLY,
      ELECTRON,
      { regex: '^(\\.\\./)+(electron|renderer|test)/', message: 'shared/ imports nothing of ours.' },
    ],
  ),
  // renderer/ imports only shared/.
  layer(
    ['renderer/**'],
    [
      NODE_ONLY,
      ELECTRON,
      { regex: '^(\\.\\./)+electron/', message: 'The renderer talks to main only through the contract.' },
    ],
  ),
  // The core runs unchanged under Node: never Electron, never a shell.
  layer(
    ['electron/core/**'],
    [
      ELECTRON,
      { regex: '^(\\.\\./)+(main|preload|web|cli|node)/', message: 'The core never imports a shell.' },
      { regex: '^(\\.\\./)+renderer/', message: 'The core never imports the renderer.' },
    ],
  ),
  // The Node shells (cli, web, node) must not load Electron either.
  layer(
    ['electron/cli/**', 'electron/web/**', 'electron/node/**'],
    [ELECTRON, { regex: '^(\\.\\./)+main/(?!csp)', message: 'Node shells cannot load the Electron shell.' }],
  ),
  // The preload sees only Electron's IPC and the channel list.
  layer(
    ['electron/preload/**'],
    [
      {
        regex: '^(?!electron$|(\\.\\./)+shared/channels\\.js$).*',
        message: 'The preload imports only electron and shared/channels.',
      },
    ],
  ),
);
