import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/domain.js'
import { BudgetExceededError, TokenBudget } from '../../src/model/budget.js'

describe('the token budget caps the tokens of the whole run', () => {
  it('lets a prompt through while used + estimate stays within the cap', () => {
    const budget = new TokenBudget(1000)
    budget.record(300, 200)
    expect(() => budget.ensureRoom(500)).not.toThrow()
    expect(budget.used).toBe(500)
  })

  it('refuses the prompt that would pass the cap, saying what was used and which input to raise', () => {
    const budget = new TokenBudget(1000)
    budget.record(600, 100)
    let caught: unknown
    try {
      budget.ensureRoom(301)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(BudgetExceededError)
    expect(caught).toBeInstanceOf(UserError)
    const message = (caught as Error).message
    expect(message).toContain('700 of 1000')
    expect(message).toContain("'max-tokens-total'")
  })

  it('adds prompt and completion tokens of every call', () => {
    const budget = new TokenBudget(10_000)
    budget.record(10, 5)
    budget.record(100, 50)
    expect(budget.used).toBe(165)
  })

  it('calls made at once each get their share of what is left, so together they stay within the cap', () => {
    const budget = new TokenBudget(10_000)
    budget.record(1000, 0)
    // 9,000 left for three candidates: 3,000 each, 1,000 of it the prompt
    const rooms = [1, 2, 3].map(() => budget.answerRoom(1000, 3))
    expect(rooms).toEqual([2000, 2000, 2000])
    expect(rooms.reduce((total, room) => total + room + 1000, 0) + budget.used).toBeLessThanOrEqual(10_000)
    expect(budget.answerRoom(1000)).toBe(8000)
    // too little for three answers: no call is made
    expect(() => budget.answerRoom(2900, 3)).toThrow(BudgetExceededError)
  })
})
