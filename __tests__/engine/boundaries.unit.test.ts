// One engine, two edges: the engine (src/engine/) imports nothing from @actions/*, so the command line can run
// it without the runner's packages; only the edges do.
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'

const src = path.resolve('src')

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    match => match[1] ?? match[2]
  )
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

describe('the engine imports nothing from @actions/*', () => {
  it('no file under src/engine/ names an @actions package', () => {
    const files = filesUnder(path.join(src, 'engine'))
    expect(files.length).toBeGreaterThan(0)
    const offending = files.flatMap(file =>
      importsOf(file)
        .filter(specifier => specifier.startsWith('@actions/'))
        .map(specifier => `${path.relative(src, file)}: ${specifier}`)
    )
    expect(offending).toEqual([])
  })

  it('the import reader sees the @actions imports of the action edge (so the check above can fail)', () => {
    expect(importsOf(path.join(src, 'action', 'run.ts'))).toContain('@actions/core')
  })

  it('src/index.ts only starts the warm pytest, then the action edge', () => {
    const lines = fs
      .readFileSync(path.join(src, 'index.ts'), 'utf8')
      .split('\n')
      .filter(line => line.trim() !== '' && !line.startsWith('//'))
    expect(lines).toEqual([
      "import { prewarmForAction } from './action/prewarm.js'",
      'prewarmForAction(process.env)',
      "const { run } = await import('./action/run.js')",
      'await run()'
    ])
    // what the entry loads before the action must stay light: none of @actions/*, openai, the engine
    expect(importsOf(path.join(src, 'action', 'prewarm.ts')).filter(specifier => !specifier.startsWith('node:'))).toEqual([
      '../inputs.js',
      '../redact.js',
      '../verify/warm-pytest.js'
    ])
  })
})
