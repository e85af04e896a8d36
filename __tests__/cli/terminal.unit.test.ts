// The status line on a terminal: a finished section's spinner line is wiped before its ✓ line, and it steps
// aside (no drawing) while the interactive prompt holds the terminal.
import { describe, expect, it } from '@jest/globals'
import { paint, StatusLine } from '../../src/cli/terminal.js'

function tty() {
  const chunks: string[] = []
  return { chunks, out: { isTTY: true, write: (text: string) => chunks.push(text) } }
}

describe('the status line', () => {
  it('wipes the spinner before the ✓ line of a finished section', async () => {
    const { chunks, out } = tty()
    const status = new StatusLine(out, paint(false), false)
    await status.sections().section('Reading the failures', async () => 'done')
    const text = chunks.join('')
    expect(text).toContain('⠋ Reading the failures')
    expect(text).toMatch(/⠋ Reading the failures\r\u001b\[2K✓ Reading the failures \(\d+\.\ds\)\n$/)
  })

  it('draws nothing while the prompt holds the terminal, and comes back after', async () => {
    const { chunks, out } = tty()
    const status = new StatusLine(out, paint(false), false)
    await status.sections().section('Fixing group g1', async () => {
      await status.hold(async () => {
        const before = chunks.length
        await new Promise(resolve => setTimeout(resolve, 250)) // more than two spinner frames
        expect(chunks.slice(before).join('')).toBe('')
      })
      expect(chunks[chunks.length - 1]).toMatch(/Fixing group g1$/)
    })
    status.stop()
  })
})
