import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/domain.js'
import { readJUnitReports, suiteSeconds } from '../../src/failures/read.js'
import { recordedRun, reportsDir } from './reports.js'

const resolve = recordedRun('basic-xunit2').resolver()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'read-junit-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('readJUnitReports: a path, several paths or a glob, relative to the directory given', () => {
  it('reads one report by its relative path', async () => {
    const read = await readJUnitReports('basic-split-1/junit.xml', reportsDir, resolve)
    expect(read.files).toEqual([path.join(reportsDir, 'basic-split-1/junit.xml')])
    expect(read.results.map(r => r.nodeId)).toContain('tests/test_functions.py::test_ratio_by_zero')
  })

  it('reads every report a glob matches, in a stable order', async () => {
    const read = await readJUnitReports('basic-split-*/junit.xml', reportsDir, resolve)
    expect(read.files).toEqual([path.join(reportsDir, 'basic-split-1/junit.xml'), path.join(reportsDir, 'basic-split-2/junit.xml')])
    const one = await readJUnitReports('basic-split-1/junit.xml', reportsDir, resolve)
    const two = await readJUnitReports('basic-split-2/junit.xml', reportsDir, resolve)
    expect(read.results).toEqual([...one.results, ...two.results])
  })

  it('takes one pattern per line and honours ! exclusions', async () => {
    const read = await readJUnitReports('basic-split-*/junit.xml\n!basic-split-2/junit.xml\n', reportsDir, resolve)
    expect(read.files).toEqual([path.join(reportsDir, 'basic-split-1/junit.xml')])
  })

  it('returns no files when nothing matches, so that the caller runs pytest itself', async () => {
    expect(await readJUnitReports('missing.xml', reportsDir, resolve)).toEqual({ files: [], results: [] })
    expect(await readJUnitReports('nothing-*/junit.xml', reportsDir, resolve)).toEqual({ files: [], results: [] })
    expect(await readJUnitReports('', reportsDir, resolve)).toEqual({ files: [], results: [] })
  })

  it('reads a report that starts with a byte order mark', async () => {
    const file = path.join(scratch, 'bom.xml')
    fs.writeFileSync(file, `\uFEFF${recordedRun('basic-split-1').xml}`)
    const read = await readJUnitReports('bom.xml', scratch, resolve)
    expect(read.results.length).toBeGreaterThan(3)
  })
})

describe('readJUnitReports: a file that is not a usable report stops the run with one clear message', () => {
  it('names a directory given as the report, and the glob that reads it', async () => {
    const error = await rejection(readJUnitReports('basic-xunit2', reportsDir, resolve))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain("'basic-xunit2' is a directory")
    expect(error.message).toContain("'basic-xunit2/*.xml'")
  })

  it('names the broken file among the matches', async () => {
    fs.mkdirSync(path.join(scratch, 'shards'))
    fs.writeFileSync(path.join(scratch, 'shards', 'a.xml'), recordedRun('basic-split-1').xml)
    fs.writeFileSync(path.join(scratch, 'shards', 'b.xml'), recordedRun('basic-split-2').xml.slice(0, 500))
    const error = await rejection(readJUnitReports('shards/*.xml', scratch, resolve))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain(`'${path.join('shards', 'b.xml')}' is not well-formed XML`)
    expect(error.message).toContain("Set 'junit-xml'")
  })
})

describe('what the failing run took, by its report', () => {
  it('sums the time of every <testsuite>, not of the <testsuites> around them', () => {
    const xml =
      '<?xml version="1.0"?><testsuites time="99"><testsuite name="pytest" tests="2" time="1.25">' +
      '<testcase classname="t" name="a" time="1.0"/></testsuite><testsuite name="more" time="0.5"></testsuite></testsuites>'
    expect(suiteSeconds(xml)).toBeCloseTo(1.75, 10)
    expect(suiteSeconds('<testsuite name="pytest" tests="0"></testsuite>')).toBeUndefined()
  })
})
