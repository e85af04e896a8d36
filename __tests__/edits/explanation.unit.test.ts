import { describe, expect, it } from '@jest/globals'
import { explanationOf } from '../../src/edits/explanation.js'

const block = 'pkg/mod.py\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n'

describe("the model's root cause, for the reviewer", () => {
  it('takes the Root cause line, however it is emphasised, with the rest of its paragraph', () => {
    expect(explanationOf(`Root cause: add() subtracts.\nThe operator flipped.\n\n${block}`)).toBe('add() subtracts. The operator flipped.')
    expect(explanationOf(`**Root cause:** add() subtracts.\n${block}`)).toBe('add() subtracts.')
    expect(explanationOf(`Some preamble.\n\n- Root Cause: the sign.\n\n${block}`)).toBe('the sign.')
  })

  it('falls back to short prose before the first edit block, and gives nothing for a bare answer', () => {
    expect(explanationOf(`The sign is wrong in add().\n\n${block}`)).toBe('The sign is wrong in add().')
    expect(explanationOf(block)).toBe('')
    expect(explanationOf(`${'word '.repeat(200)}\n${block}`)).toBe('')
    expect(explanationOf('just prose, no edit at all')).toBe('')
  })

  it('cannot ping, link or render HTML, and is capped at a word', () => {
    const said = explanationOf(
      `Root cause: @alice broke it, see https://evil.example/x and [this](https://x.y) <img src=x onerror=y>.\n${block}`
    )
    expect(said).toBe('@\u200balice broke it, see (link removed) and this .')
    const long = explanationOf(`Root cause: ${'because '.repeat(80)}\n${block}`)
    expect(long.length).toBeLessThanOrEqual(301)
    expect(long.endsWith('because…')).toBe(true)
  })
})
