// What users expect of a published action: a licence, a changelog, a versioning policy, an author, a runtime
// that the metadata agrees on, and no references to files that are not in the repository.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { parse } from 'yaml'

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  license: string
  author?: string
  engines: { node: string }
  devDependencies: Record<string, string>
}
const action = parse(fs.readFileSync('action.yml', 'utf8')) as { author?: string; runs: { using: string } }
const readme = fs.readFileSync('README.md', 'utf8')

describe('release hygiene', () => {
  it('ships an MIT LICENSE matching package.json', () => {
    expect(pkg.license).toBe('MIT')
    const license = fs.readFileSync('LICENSE', 'utf8')
    expect(license).toMatch(/^MIT License/)
    expect(license).toMatch(/Copyright \(c\) \d{4} \S/)
  })

  it('names a real author in package.json and action.yml (not the package name)', () => {
    for (const author of [pkg.author, action.author]) {
      expect(typeof author).toBe('string')
      expect(author).not.toBe('pytest-fixer')
      expect((author ?? '').trim().length).toBeGreaterThan(3)
    }
    expect(action.author).toBe(pkg.author)
  })

  it('keeps a CHANGELOG with an Unreleased section and the current version', () => {
    const changelog = fs.readFileSync('CHANGELOG.md', 'utf8')
    expect(changelog).toContain('## [Unreleased]')
    const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version
    expect(changelog).toContain(`## [${version}]`)
  })

  it('documents versioning: v1 moved per release, v1.x.y tags, SHA pinning', () => {
    const section = readme.split('## Versioning\n')[1]?.split('\n## ')[0] ?? ''
    expect(section).toContain('`v1`')
    expect(section).toContain('`v1.x.y`')
    expect(section).toMatch(/uses: org\/pytest-fixer@[0-9a-f]{40} # v1\./)
  })

  it('agrees on the runtime action.yml declares: engines, @types/node and the README', () => {
    const major = Number(/^node(\d+)$/.exec(action.runs.using)?.[1])
    expect(major).toBe(24)
    expect(pkg.engines.node).toBe(`>=${major}`)
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`))
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^\\^${major}\\.`))
    expect(readme).toContain(`Node ${major}`)
    expect(readme).not.toMatch(/Node ≥ ?20|Node >= ?20/)
  })

  it('refers to no file outside the repository (code, CI, package.json, docs)', () => {
    const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
      .split('\n')
      .filter(file => file !== '' && !file.startsWith('dist/') && !file.startsWith('__tests__/fixtures/') && fs.existsSync(file))
      .filter(file => /\.(ts|mjs|js|json|ya?ml|md|sh)$/.test(file) || file === '.ci/run')
      .filter(file => file !== '__tests__/release-hygiene.unit.test.ts' && file !== 'package-lock.json')
    const offenders = tracked.filter(file => /(^|[^\w-])shared\/|TOOLCHAIN\.md|CONTRACT\.md|STYLE\.md/.test(fs.readFileSync(file, 'utf8')))
    expect(offenders).toEqual([])
  })
})
