// Warm pytest (src/verify/warm-pytest.ts) with real pytest: a run forked from the interpreter that imported pytest
// already gives what the same command gives cold (the same tests, outcomes and exit code), with the run's own
// environment, directory and arguments; it is cut at the timeout with what it started; and a command or a
// project it cannot run exactly as written runs cold.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { TestRun } from '../../src/domain.js'
import { createPytestRunner } from '../../src/verify/pytest.js'
import { closeWarmServers, warmForm, warmServer } from '../../src/verify/warm-pytest.js'
import { stillAlive } from '../harness/processes.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-pytest-'))
  fs.mkdirSync(path.join(dir, 'tests'))
  fs.writeFileSync(path.join(dir, 'calc.py'), 'def add(a, b):\n    return a + b\n')
  fs.writeFileSync(
    path.join(dir, 'tests', 'test_calc.py'),
    [
      'import os, random, sys',
      'import pytest',
      'from calc import add',
      '',
      '@pytest.mark.parametrize("a,b,total", [(1, 2, 3), (2, 2, 5)])',
      'def test_add(a, b, total):',
      '    assert add(a, b) == total',
      '',
      'def test_environment():',
      '    assert os.environ.get("WARM_MARK") == "set-for-this-run"',
      '',
      'def test_directory():',
      '    assert os.getcwd() == os.environ["EXPECTED_CWD"]',
      '',
      '@pytest.mark.slow',
      'def test_marked_slow():',
      '    assert True',
      '',
      'def test_random_differs_from_the_server():',
      '    with open(os.environ["RANDOM_FILE"], "a") as out:',
      '        out.write(f"{random.random()}\\n")',
      ''
    ].join('\n')
  )
  fs.writeFileSync(path.join(dir, 'pytest.ini'), '[pytest]\nmarkers =\n    slow: a slow test\n')
})
afterEach(async () => {
  await closeWarmServers()
  fs.rmSync(dir, { recursive: true, force: true })
})
afterAll(async () => closeWarmServers())

function runnerFor(warm: boolean, testCommand = 'python3 -m pytest', timeoutMs = 60_000) {
  return createPytestRunner({
    testCommand,
    layout: { repoRoot: dir, workDir: dir, rootDir: dir },
    timeoutMs,
    env: {
      ...process.env,
      PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
      WARM_MARK: 'set-for-this-run',
      EXPECTED_CWD: fs.realpathSync(dir),
      RANDOM_FILE: path.join(dir, 'random.txt'),
      PID_FILE: path.join(dir, 'pids')
    },
    tempDir: path.join(dir, '.runs'),
    warm
  })
}

const outcomes = (run: TestRun): string[] => run.results.map(result => `${result.nodeId} ${result.outcome}`).sort()

describe('a warm run gives what the cold run gives', () => {
  it('the same node ids, outcomes and exit code, with the run’s environment and directory; marked warm', async () => {
    const warm = await runnerFor(true).run([], 'suite')
    const cold = await runnerFor(false).run([], 'suite')
    expect(warm.warm).toBe(true)
    expect(cold.warm).toBeUndefined()
    expect(outcomes(warm)).toEqual(outcomes(cold))
    expect(outcomes(warm)).toEqual([
      'tests/test_calc.py::test_add[1-2-3] passed',
      'tests/test_calc.py::test_add[2-2-5] failed',
      'tests/test_calc.py::test_directory passed',
      'tests/test_calc.py::test_environment passed',
      'tests/test_calc.py::test_marked_slow passed',
      'tests/test_calc.py::test_random_differs_from_the_server passed'
    ])
    expect(warm.exitCode).toBe(1)
    expect(warm.exitCode).toBe(cold.exitCode)
    expect(warm.output).toMatch(/FAILED tests\/test_calc\.py::test_add\[2-2-5\]/)
  })

  it('node ids and -m in the command reach the child: only the asked tests run', async () => {
    const runner = runnerFor(true, 'python3 -m pytest -m "not slow"')
    const aimed = await runner.run(['tests/test_calc.py::test_add[1-2-3]'], 'group')
    expect(aimed.warm).toBe(true)
    expect(outcomes(aimed)).toEqual(['tests/test_calc.py::test_add[1-2-3] passed'])
    const suite = await runner.run([], 'suite')
    expect(outcomes(suite)).not.toContain('tests/test_calc.py::test_marked_slow passed')
    expect(outcomes(suite)).toHaveLength(5)
  })

  it('each run is a fresh process: random is reseeded, state does not carry from one run to the next', async () => {
    const runner = runnerFor(true)
    await runner.run(['tests/test_calc.py::test_random_differs_from_the_server'], 'one')
    await runner.run(['tests/test_calc.py::test_random_differs_from_the_server'], 'two')
    const values = fs.readFileSync(path.join(dir, 'random.txt'), 'utf8').trim().split('\n')
    expect(values).toHaveLength(2)
    expect(values[0]).not.toBe(values[1])
  })

  it('a run that hangs is cut at the timeout with the processes it started', async () => {
    fs.writeFileSync(
      path.join(dir, 'tests', 'test_hang.py'),
      'import os, subprocess, time\n\ndef test_hangs():\n    child = subprocess.Popen(["sleep", "120"])\n' +
        '    with open(os.environ["PID_FILE"], "a") as pids:\n        pids.write(f"{child.pid}\\n")\n    time.sleep(120)\n'
    )
    const started = Date.now()
    const run = await runnerFor(true, 'python3 -m pytest', 3_000).run(['tests/test_hang.py::test_hangs'], 'hang')
    expect(run.warm).toBe(true)
    expect(run.timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(15_000)
    const pid = Number(fs.readFileSync(path.join(dir, 'pids'), 'utf8').trim())
    expect(await stillAlive([pid])).toEqual([])
  })
})

describe('the protocol', () => {
  it('a child that ended before its run waited for it (both messages in one read) is not lost', async () => {
    // an interpreter that answers every request at once with the fork and the exit, in one write
    const fake = path.join(dir, 'fake-python')
    fs.writeFileSync(
      fake,
      [
        '#!/usr/bin/env python3',
        'import json, os, sys',
        'os.write(1, b\'{"ready": true}\\n\')',
        'for line in sys.stdin:',
        '    request = json.loads(line)',
        '    os.write(1, (json.dumps({"id": request["id"], "pid": 999999}) + "\\n" + json.dumps({"pid": 999999, "code": 3}) + "\\n").encode())',
        ''
      ].join('\n'),
      { mode: 0o755 }
    )
    const server = warmServer({ interpreter: fake, argv: [] }, dir, process.env)
    const started = Date.now()
    const result = await server.run(
      {
        form: { interpreter: fake, argv: [] },
        cwd: dir,
        env: process.env,
        outFile: path.join(dir, 'out'),
        timeoutMs: 30_000,
        onStart: () => undefined,
        onEnd: () => undefined
      },
      dir
    )
    expect(result?.exitCode).toBe(3)
    expect(result?.timedOut).toBe(false)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('what runs cold', () => {
  it('a module the model adds that shadows one the server imported: the runs after it go cold', async () => {
    const runner = runnerFor(true)
    expect((await runner.run(['tests/test_calc.py::test_add[1-2-3]'], 'before')).warm).toBe(true)
    fs.writeFileSync(path.join(dir, 'iniconfig.py'), 'raise ImportError("the project shadows iniconfig")\n')
    const after = await runner.run(['tests/test_calc.py::test_add[1-2-3]'], 'after')
    expect(after.warm).toBeUndefined()
    // cold, it meets the project's module as the user's own run would
    expect(after.output).toContain('the project shadows iniconfig')
  })

  it('a module the interpreter itself loaded from the repository (PYTHONPATH into the project) sends the runs cold', async () => {
    fs.mkdirSync(path.join(dir, 'lib'))
    fs.writeFileSync(path.join(dir, 'lib', 'iniconfig.py'), shadowOf('lib'))
    const runner = createPytestRunner({
      testCommand: 'python3 -m pytest',
      layout: { repoRoot: dir, workDir: dir, rootDir: dir },
      timeoutMs: 60_000,
      env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', PYTHONPATH: path.join(dir, 'lib') },
      tempDir: path.join(dir, '.runs'),
      warm: true
    })
    const run = await runner.run(['tests/test_calc.py::test_add[1-2-3]'], 'group')
    expect(run.warm).toBeUndefined()
    expect(outcomes(run)).toEqual(['tests/test_calc.py::test_add[1-2-3] passed'])
    // the server imported it (at its start) and so did the cold run
    expect(fs.readFileSync(path.join(dir, 'shadow-ran'), 'utf8')).toBe('xx')
  })

  it('warm-pytest off', async () => {
    const run = await runnerFor(false).run(['tests/test_calc.py::test_add[1-2-3]'], 'group')
    expect(run.warm).toBeUndefined()
    expect(outcomes(run)).toEqual(['tests/test_calc.py::test_add[1-2-3] passed'])
  })

  it('a command that is not plain pytest (a wrapper, interpreter flags, a variable) runs as written', async () => {
    for (const command of ['python3 -X dev -m pytest', 'PYTHONHASHSEED=0 python3 -m pytest', 'python3 -m coverage run -m pytest']) {
      expect(warmForm(command, dir, process.env)).toBeUndefined()
    }
    const run = await runnerFor(true, 'python3 -X dev -m pytest').run(['tests/test_calc.py::test_add[1-2-3]'], 'group')
    expect(run.warm).toBeUndefined()
    expect(outcomes(run)).toEqual(['tests/test_calc.py::test_add[1-2-3] passed'])
  })

  it('a project module that shadows one the server imported (as a cold run would import it) sends the runs cold', async () => {
    // iniconfig is imported with pytest; a cold run in this directory imports the project's copy first. This one
    // records that it ran, then hands over to the real module.
    fs.writeFileSync(path.join(dir, 'iniconfig.py'), shadowOf('.'))
    const run = await runnerFor(true).run(['tests/test_calc.py::test_add[1-2-3]'], 'group')
    expect(run.warm).toBeUndefined()
    expect(outcomes(run)).toEqual(['tests/test_calc.py::test_add[1-2-3] passed'])
    // the cold run imported the project's module, as the user's own `python3 -m pytest` here does, once; the
    // server never did (it imports with its directory off sys.path)
    expect(fs.readFileSync(path.join(dir, 'shadow-ran'), 'utf8')).toBe('x')
  })
})

describe('the warm form of a command', () => {
  it('python -m pytest, a versioned interpreter, and the pytest script through its shebang', () => {
    expect(warmForm('python -m pytest -x tests', dir, process.env)).toEqual({ interpreter: 'python', argv: ['-x', 'tests'] })
    expect(warmForm('python3.11 -m pytest', dir, process.env)).toEqual({ interpreter: 'python3.11', argv: [] })
    const bin = path.join(dir, '.venv', 'bin')
    fs.mkdirSync(bin, { recursive: true })
    fs.writeFileSync(path.join(bin, 'pytest'), '#!/usr/bin/env python3\nimport pytest\n', { mode: 0o755 })
    expect(warmForm('.venv/bin/pytest -q', dir, process.env)).toEqual({
      interpreter: 'python3',
      argv: ['-q'],
      script: path.join(bin, 'pytest')
    })
    expect(warmForm('pytest -q', dir, { PATH: bin })).toEqual({ interpreter: 'python3', argv: ['-q'], script: path.join(bin, 'pytest') })
    // a script whose interpreter is not Python, or no script at all
    fs.writeFileSync(path.join(bin, 'pytest'), '#!/bin/sh\nexec python3 -m pytest "$@"\n', { mode: 0o755 })
    expect(warmForm('.venv/bin/pytest', dir, process.env)).toBeUndefined()
    expect(warmForm('pytest', dir, { PATH: path.join(dir, 'nowhere') })).toBeUndefined()
    expect(warmForm('tox -e py311', dir, process.env)).toBeUndefined()
  })
})

/** A module that shadows iniconfig from `where` in the project, as the project's own module would: it notes in
 *  `shadow-ran` that it ran, and stays the module of that name, with the real one's contents. */
function shadowOf(where: string): string {
  return [
    'import importlib.util, os, sys',
    'from importlib.machinery import PathFinder',
    `with open(os.path.join(${JSON.stringify(dir)}, "shadow-ran"), "a") as out:`,
    '    out.write("x")',
    `here = os.path.abspath(os.path.join(${JSON.stringify(dir)}, ${JSON.stringify(where)}))`,
    'spec = PathFinder.find_spec("iniconfig", [p for p in sys.path if os.path.abspath(p or ".") != here])',
    'real = importlib.util.module_from_spec(importlib.util.spec_from_file_location("_real_iniconfig", spec.origin, submodule_search_locations=spec.submodule_search_locations))',
    'sys.modules["_real_iniconfig"] = real',
    'real.__spec__.loader.exec_module(real)',
    'globals().update({k: v for k, v in vars(real).items() if not k.startswith("__")})',
    ''
  ].join('\n')
}
