import { describe, expect, it } from '@jest/globals'
import { Redactor, environmentForTests } from '../src/redact.js'

describe('secrets never leave the process', () => {
  it('masks the api key and token, also base64-encoded as in a git extraheader', () => {
    const redactor = new Redactor()
    redactor.add('my-api-key-123456')
    redactor.add('token-abcdef-987')
    const header = Buffer.from('x-access-token:token-abcdef-987').toString('base64')
    const text = `key=my-api-key-123456 auth=${header} again token-abcdef-987`
    expect(redactor.redact(text)).toBe('key=*** auth=*** again ***')
  })

  it('masks values of environment variables named like secrets, not ordinary ones', () => {
    const redactor = new Redactor()
    redactor.addFromEnvironment({
      DB_PASSWORD: 'hunter2-horse',
      MY_SECRET: 'abc123def',
      HOME: '/home/runner',
      PATH: '/usr/bin',
      AWS_ACCESS_KEY: 'shortk'
    })
    expect(redactor.redact('pw hunter2-horse s abc123def h /home/runner k shortk')).toBe('pw *** s *** h /home/runner k ***')
  })

  it('does not mask short values that would occur by chance', () => {
    const redactor = new Redactor()
    redactor.addFromEnvironment({ GITHUB_TOKEN_ENABLED: 'true' })
    expect(redactor.redact('assert value is true')).toBe('assert value is true')
  })

  it('masks common token shapes it was never told about', () => {
    const redactor = new Redactor()
    const planted = [
      'ghp_' + 'a'.repeat(36),
      'ghs_' + 'B1'.repeat(18),
      'github_pat_' + '11ABCDEFG0'.repeat(4),
      'sk-proj-' + 'x'.repeat(40),
      'AKIA' + 'ABCDEFGHIJKLMNOP'
    ]
    const out = redactor.redact(`E   AssertionError: got ${planted.join(' and ')}`)
    for (const token of planted) expect(out).not.toContain(token)
    expect(out).toContain('E   AssertionError: got ***')
  })

  it('redacts every string inside a report', () => {
    const redactor = new Redactor()
    redactor.add('sekrit-value-1')
    const out = redactor.redactDeep({ a: ['x sekrit-value-1'], b: { c: 'sekrit-value-1' }, n: 3, z: null })
    expect(out).toEqual({ a: ['x ***'], b: { c: '***' }, n: 3, z: null })
  })

  it("keeps the action inputs (api-key, github-token) out of the tests' environment", () => {
    const env = environmentForTests({
      'INPUT_API-KEY': 'k',
      'INPUT_GITHUB-TOKEN': 't',
      ACTIONS_RUNTIME_TOKEN: 'r',
      PATH: '/bin',
      HOME: '/h'
    })
    expect(env).toEqual({ PATH: '/bin', HOME: '/h' })
  })
})
