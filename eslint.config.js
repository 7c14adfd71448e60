// Lint, including the layering rules: which folder may import what (see docs/ARCHITECTURE.md).
import js from '@eslint/js'
import { builtinModules } from 'node:module'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

const ELECTRON = { name: 'electron', message: 'Only src/main/index.ts (the Electron entry) and src/preload may import electron.' }
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({
  name,
  message: 'src/common and src/renderer are environment-free: no Node built-ins.',
}))
const NODE_PATTERN = { group: ['node:*'], message: 'src/common and src/renderer are environment-free: no Node built-ins.' }
const layer = (folders, message) => ({ group: folders.flatMap((f) => [`**/${f}/**`, `**/${f}`]), message })

const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] })

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // TypeScript itself reports undefined names, with the right globals per layer.
      'no-undef': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
    },
  },
  // Everyone: no electron.
  { files: ['**/*.{ts,js,vue}'], rules: restrict([ELECTRON]) },
  // src/common: environment-free, and below every other layer.
  {
    files: ['src/common/**'],
    rules: restrict([ELECTRON, ...NODE_BUILTINS], [
      NODE_PATTERN,
      layer(['main', 'renderer', 'cli', 'twin', 'preload'], 'src/common may import only src/common.'),
      { group: ['vue', 'pinia'], message: 'src/common is UI-free.' },
    ]),
  },
  // src/renderer: talks only to window.pairkit through src/common's contract.
  {
    files: ['src/renderer/**'],
    rules: restrict([ELECTRON, ...NODE_BUILTINS], [
      NODE_PATTERN,
      layer(['main', 'cli', 'twin', 'preload'], 'The renderer reaches the backend only through window.pairkit.'),
    ]),
  },
  // src/main, src/cli, src/twin: Node services, never the renderer.
  {
    files: ['src/main/**', 'src/cli/**', 'src/twin/**'],
    rules: restrict([ELECTRON], [layer(['renderer'], 'Node code never imports the renderer.')]),
  },
  // The two places electron belongs.
  {
    files: ['src/main/index.ts', 'src/preload/**'],
    rules: restrict([], [layer(['renderer'], 'Node code never imports the renderer.')]),
  },
  {
    files: ['scripts/**', 'bin/**', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
)
