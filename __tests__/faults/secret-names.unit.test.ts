// Which values of a CI job's environment count as secrets: names as real workflows spell them, and the password
// inside a connection URL. A test that prints them must not get them into the prompt, the logs or the PR.
import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../src/redact.js'

function redactorFor(env: Record<string, string>): Redactor {
  const redactor = new Redactor()
  redactor.addFromEnvironment(env)
  return redactor
}

describe('env vars named like secrets in real workflows are masked', () => {
  it.each(['DB_PASS', 'SMTP_PASS', 'MYSQL_PWD', 'GH_PAT', 'SENTRY_DSN', 'MY_SERVICE_TOKEN', 'DB_PASSWORD', 'STRIPE_API_KEY'])(
    '%s',
    name => {
      expect(redactorFor({ [name]: 'value-9f8e7d6c' }).redact(`E   got value-9f8e7d6c`)).toBe('E   got ***')
    }
  )

  it.each(['PWD', 'OLDPWD', 'PATH', 'PYTHONPATH', 'BYPASS_CACHE', 'PASSENGER_COUNT'])('%s is no secret', name => {
    expect(redactorFor({ [name]: '/home/runner/work' }).redact('cwd /home/runner/work')).toBe('cwd /home/runner/work')
  })
})

describe('the password of a connection URL is masked, wherever the URL sits in the environment', () => {
  it('DATABASE_URL, REDIS_URL: the password (also percent-decoded), not the host or user', () => {
    const redactor = redactorFor({
      DATABASE_URL: 'postgresql://app:S3cr%40tPass@db.internal:5432/app',
      REDIS_URL: 'redis://:r3dis-pass-77@cache:6379/0'
    })
    const text = 'connect postgresql://app:S3cr%40tPass@db.internal:5432/app as S3cr@tPass; redis r3dis-pass-77'
    expect(redactor.redact(text)).toBe('connect postgresql://app:***@db.internal:5432/app as ***; redis ***')
  })

  it('a URL without a password adds nothing', () => {
    const redactor = redactorFor({ SERVICE_URL: 'https://api.example.com/v1', HOST_URL: 'http://user@host:8080/x' })
    expect(redactor.values()).toEqual([])
  })
})
