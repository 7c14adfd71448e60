// Lint, including the layering: which folder may import what (eslint-rules/layers.js).
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'
import layerImports from './eslint-rules/layer-imports.js'

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
  // The layering: every import must be allowed by the importing folder's row of the table.
  {
    files: ['**/*.{ts,js,vue}'],
    plugins: { pairkit: { rules: { 'layer-imports': layerImports } } },
    rules: { 'pairkit/layer-imports': 'error' },
  },
  {
    files: ['scripts/**', 'bin/**', 'eslint-rules/**', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
)
