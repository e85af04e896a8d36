// Secrets that tests print: env values named like secrets in an assertion message, a GitHub token on stdout.
// The failure is still understood and fixed, and no secret reaches the model, the logs, the summary, the report,
// the PR or the commits.
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bug, correctAnswer, expectNoSecrets, reportOf, setUpFault, type FaultScenario } from './fault-scenario.js'

let scenario: FaultScenario | undefined
afterEach(async () => {
  await scenario?.close()
  scenario = undefined
})

const item = bug('flat-low-stock-inclusive')
// built at run time by the test below, so the token is in its output but nowhere in the repository's files
const printedToken = `ghp_${'x9K2'.repeat(9)}`
const databasePassword = 'pg-Pass-0x51'
// two failures, so that theirs is the first group and its output is what the model is shown
const leakyTest = `import os

import pytest

from inventory.models import Item


@pytest.mark.parametrize("quantity", [5, 7])
def test_low_stock_report_uses_service_settings(quantity):
    token = "ghp_" + "x9K2" * 9
    print(f"calling the stock service with {token}")
    item = Item("X-9", "Widget", 100, quantity=quantity)
    assert not item.is_low_stock(threshold=quantity), (
        f"low stock at the threshold; service token {os.environ['MY_SERVICE_TOKEN']}, "
        f"db password {os.environ['DB_PASSWORD']}, db {os.environ['DATABASE_URL']}"
    )
`

describe('secrets a test prints never leave the runner', () => {
  it('env secrets and a DATABASE_URL in an assertion message, a ghp_ token on stdout: masked everywhere, fix made', async () => {
    scenario = await setUpFault(item, {
      mutate: dir => fs.writeFileSync(path.join(dir, 'tests', 'test_settings.py'), leakyTest),
      script: [{ content: correctAnswer(item) }]
    })
    const result = await scenario.run({}, { DATABASE_URL: `postgresql://app:${databasePassword}@db.internal:5432/app` })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.result).toBe('fixed')
    expect(JSON.parse(result.outputs['fixed-tests'])).toEqual(
      expect.arrayContaining([
        'tests/test_settings.py::test_low_stock_report_uses_service_settings[5]',
        'tests/test_settings.py::test_low_stock_report_uses_service_settings[7]',
        ...item.expectFailing
      ])
    )
    // the failure reached the model, its secrets masked
    const prompt = JSON.stringify(scenario.model.requests[0].body.messages)
    expect(prompt).toContain('low stock at the threshold; service token ***')
    expect(prompt).toContain('db password ***, db postgresql://app:***@db.internal:5432/app')
    expect(prompt).toContain('calling the stock service with ***')
    const report = reportOf(result)
    expect(JSON.stringify(report.failures)).toContain('service token ***')
    expect(scenario.github.state.pulls).toHaveLength(1)
    expect(scenario.github.state.pulls[0].body).toContain('service token ***')

    expectNoSecrets(scenario, [printedToken, databasePassword])
    expect(await scenario.treeUnchanged()).toBe(true)
  })
})
