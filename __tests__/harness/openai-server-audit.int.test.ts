// The stand-in model checks every prompt of every test: close() fails when a prompt held an absolute path under
// the temp dir (where every test workspace lives: a runner path that normalization missed), an ANSI escape or
// an object address. The model's own earlier answers, and feedback quoting a path it wrote, are exempt.
import { describe, expect, it } from '@jest/globals'
import * as os from 'node:os'
import { startOpenAIServer } from './openai-server.mjs'

async function ask(messages: Array<{ role: string; content: string }>) {
  const server = await startOpenAIServer()
  await fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages })
  })
  return server
}

describe('every prompt is audited', () => {
  it.each([
    ['a workspace path', `File "${os.tmpdir()}/work-1a2b/pkg/mod.py", line 3`],
    ['an ANSI escape', '\u001b[31mFAILED\u001b[0m tests/test_a.py::test_one'],
    ['an object address', 'assert <pkg.Obj object at 0x7f3a9c2e5b10> == 1'],
    ['an address-sized hex', 'id 0x7f3a9c2e5b10 freed']
  ])('%s fails the test at close()', async (_what, content) => {
    const server = await ask([{ role: 'user', content }])
    expect(server.promptProblems).toHaveLength(1)
    await expect(server.close()).rejects.toThrow(/what a prompt must never hold/)
  })

  it('a clean prompt, and a path the model itself wrote, pass', async () => {
    const own = `${os.tmpdir()}/elsewhere/notes.py`
    const server = await ask([
      { role: 'user', content: 'File "pkg/mod.py", line 3: assert <pkg.Obj object at 0x?> == 1' },
      // a hex constant in the code shown is no address
      { role: 'user', content: '```python\n    return zlib.crc32(data) & 0xFFFFFFFF\n```' },
      { role: 'assistant', content: `${own}\n<<<<<<< SEARCH` },
      { role: 'user', content: `Attempt 1 was rejected: edits refused: ${own} is outside the repository.` }
    ])
    expect(server.promptProblems).toEqual([])
    await server.close()
  })
})
