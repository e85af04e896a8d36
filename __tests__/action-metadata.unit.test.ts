import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'
import { Defaults, readSettings } from '../src/inputs.js'

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
const action = parse(fs.readFileSync('action.yml', 'utf8')) as ActionYml
const readme = fs.readFileSync('README.md', 'utf8')

/** Rows `| \`name\` | default | ... |` of the README table under a heading. */
function tableRows(heading: string): Map<string, string[]> {
  const section = readme.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  const rows = new Map<string, string[]>()
  for (const line of section.split('\n')) {
    const cells = line.split('|').map(cell => cell.trim())
    const name = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? '')?.[1]
    if (name) rows.set(name, cells.slice(2, -1))
  }
  return rows
}

describe('action.yml, the README and the code name the same inputs and outputs', () => {
  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
  })

  it('documents every input in the README with the default action.yml declares', () => {
    const rows = tableRows('Inputs')
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
    for (const [name, input] of Object.entries(action.inputs)) {
      const documented = rows.get(name)?.[0] ?? ''
      if (input.required) expect(documented).toBe('required')
      else if (name === 'base-branch') expect(documented).toBe('branch that failed')
      else expect(documented.replace(/`/g, '')).toBe(input.default === '' ? "''" : input.default)
    }
  })

  it('declares and documents exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
    expect([...tableRows('Outputs').keys()].sort()).toEqual(Object.values(Outputs).sort())
  })

  it('keeps the contract defaults in action.yml and in the code', () => {
    const required = (name: string) => (name === 'api-key' ? 'k' : name === 'model' ? 'm' : '')
    const settings = readSettings(name => required(name) || (action.inputs[name]?.default ?? '').replace('${{ github.token }}', 't0ken'))
    expect(settings.maxAttempts).toBe(Defaults.maxAttempts)
    expect(settings.testCommand).toBe(Defaults.testCommand)
    expect(settings.mode).toBe(Defaults.mode)
    expect(settings.flakyReruns).toBe(Defaults.flakyReruns)
    expect(settings.testTimeoutSeconds).toBe(Defaults.testTimeoutSeconds)
  })

  it('puts the demo and test commands near the top of the README', () => {
    const top = readme.split('\n').slice(0, 20).join('\n')
    expect(top).toContain('npm run demo')
    expect(top).toContain('npm test')
  })
})
