// The run's hard cap on LLM tokens (input max-tokens-total), checked before every model call.
import { Inputs } from '../constants.js'
import { UserError } from '../domain.js'

export class BudgetExceededError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'BudgetExceededError'
  }
}

/** Fewer tokens than this leave no room for an answer with even one edit block. */
export const MIN_ANSWER_TOKENS = 200

/** Hard cap on LLM tokens for the whole run (input max-tokens-total). */
export class TokenBudget {
  private spent = 0

  constructor(private readonly maxTotal: number) {}

  /** Throws BudgetExceededError when the next prompt would take the run past the cap. */
  ensureRoom(estimatedPromptTokens: number): void {
    if (this.spent + estimatedPromptTokens <= this.maxTotal) return
    throw new BudgetExceededError(
      `The token budget is spent: ${this.spent} of ${this.maxTotal} tokens used, and the next prompt needs about ` +
        `${estimatedPromptTokens} (with room for its answer). Raise '${Inputs.MaxTokensTotal}' (now ${this.maxTotal}) to let the run ask the model again.`
    )
  }

  /**
   * How many tokens the answer to a prompt of this size may use without taking the run past the cap. Throws
   * BudgetExceededError when that is less than the shortest useful answer: the call is not made.
   */
  answerRoom(estimatedPromptTokens: number, share = 1): number {
    if (share <= 1) {
      this.ensureRoom(estimatedPromptTokens + MIN_ANSWER_TOKENS)
      return this.maxTotal - this.spent - estimatedPromptTokens
    }
    // calls made at once each get their share of what is left, so together they stay within the cap
    const room = Math.floor((this.maxTotal - this.spent) / share) - estimatedPromptTokens
    if (room < MIN_ANSWER_TOKENS) this.ensureRoom((estimatedPromptTokens + MIN_ANSWER_TOKENS) * share)
    return room
  }

  /** The room of each of `n` answers to one request (`n`): the prompt is counted once. */
  answerRoomEach(estimatedPromptTokens: number, n: number): number {
    this.ensureRoom(estimatedPromptTokens + MIN_ANSWER_TOKENS * n)
    return Math.floor((this.maxTotal - this.spent - estimatedPromptTokens) / n)
  }

  record(promptTokens: number, completionTokens: number): void {
    this.spent += promptTokens + completionTokens
  }

  get used(): number {
    return this.spent
  }
}
