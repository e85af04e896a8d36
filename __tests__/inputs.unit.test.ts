import { describe, expect, it } from '@jest/globals'
import { readSettings } from '../src/inputs.js'

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? ''
const required = { 'api-key': 'sk-test', model: 'gpt-4.1-mini' }

describe('readSettings: every input read and validated once', () => {
  it('applies the contract defaults when only the required inputs are set', () => {
    const settings = readSettings(reader(required))
    expect(settings.testCommand).toBe('python -m pytest')
    expect(settings.maxAttempts).toBe(3)
    expect(settings.initialTemperature).toBe(0.4)
    expect(settings.temperatureIncrement).toBe(0.1)
    expect(settings.mode).toBe('pull-request')
    expect(settings.branchPrefix).toBe('pytest-fixer/')
    expect(settings.labels).toEqual(['pytest-fixer'])
    expect(settings.draft).toBe(false)
    expect(settings.cache).toBe(true)
    expect(settings.flakyReruns).toBe(1)
    expect(settings.maxTokensTotal).toBe(200000)
    expect(settings.testTimeoutSeconds).toBe(600)
    expect(settings.baseUrl).toBe('https://api.openai.com/v1')
  })

  it('names the input, the value and what is accepted for each bad value, all at once', () => {
    let message = ''
    try {
      readSettings(reader({ ...required, 'max-attempts': 'three', mode: 'merge', draft: 'maybe', 'base-url': 'localhost' }))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain("Input 'max-attempts' is 'three': expected a whole number from 1 to 10.")
    expect(message).toContain("Input 'mode' is 'merge': expected one of pull-request, push, apply, dry-run.")
    expect(message).toContain("Input 'draft' is 'maybe': expected true or false.")
    expect(message).toContain("Input 'base-url' is 'localhost': expected an http(s) URL")
  })

  it('says how to set a missing api-key and model', () => {
    expect(() => readSettings(reader({}))).toThrow(/'api-key' is empty: set it to the key of your LLM endpoint/)
    expect(() => readSettings(reader({ 'api-key': 'x' }))).toThrow(/'model' is empty/)
  })

  it('splits labels on commas and new lines and trims the base url', () => {
    const settings = readSettings(reader({ ...required, labels: 'bot, ci\nfix', 'base-url': 'http://127.0.0.1:8080/v1/' }))
    expect(settings.labels).toEqual(['bot', 'ci', 'fix'])
    expect(settings.baseUrl).toBe('http://127.0.0.1:8080/v1')
  })

  it('rejects a branch prefix git would refuse', () => {
    expect(() => readSettings(reader({ ...required, 'branch-prefix': 'fix..me/' }))).toThrow(/'branch-prefix' is 'fix\.\.me\/'/)
  })
})
