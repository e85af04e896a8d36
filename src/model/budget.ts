// The run's hard cap on LLM tokens (input max-tokens-total), checked before every model call.
import { Inputs } from '../constants.js'
import { UserError } from '../domain.js'

export class BudgetExceededError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'BudgetExceededError'
  }
}

/** Hard cap on LLM tokens for the whole run (input max-tokens-total). */
export class TokenBudget {
  private spent = 0

  constructor(private readonly maxTotal: number) {}

  /** Throws BudgetExceededError when the next prompt would take the run past the cap. */
  ensureRoom(estimatedPromptTokens: number): void {
    if (this.spent + estimatedPromptTokens <= this.maxTotal) return
    throw new BudgetExceededError(
      `The token budget is spent: ${this.spent} of ${this.maxTotal} tokens used, and the next prompt needs about ` +
        `${estimatedPromptTokens}. Raise '${Inputs.MaxTokensTotal}' (now ${this.maxTotal}) to let the run ask the model again.`
    )
  }

  record(promptTokens: number, completionTokens: number): void {
    this.spent += promptTokens + completionTokens
  }

  get used(): number {
    return this.spent
  }
}
