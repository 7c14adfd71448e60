// The `pairkit` CLI, built for Node into out/cli; bin/pairkit.js runs it (and builds it first
// when it is missing or older than its sources). npm packages stay external, as in out/main.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig, type Plugin } from 'vite'

const ROOT = path.resolve(import.meta.dirname)

/**
 * Writes out/cli/build-inputs.json: when the build started and which source files went into
 * it, so bin/pairkit.js can tell with a few stat calls whether out/cli is older than its sources.
 */
function recordInputs(): Plugin {
  let startedAt = 0
  return {
    name: 'pairkit-cli-inputs',
    buildStart() {
      startedAt = Date.now()
    },
    writeBundle(options) {
      const inputs = [...this.getModuleIds()]
        .filter((id) => id.startsWith(`${ROOT}/`) && !id.includes('/node_modules/'))
        .map((id) => path.relative(ROOT, id))
        .sort()
      writeFileSync(path.join(options.dir as string, 'build-inputs.json'), JSON.stringify({ startedAt, inputs: ['cli.vite.config.ts', ...inputs] }, null, 1) + '\n')
    },
  }
}

export default defineConfig({
  logLevel: 'warn',
  plugins: [recordInputs()],
  build: {
    ssr: 'src/cli/index.ts',
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rolldownOptions: { output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' } },
  },
})
