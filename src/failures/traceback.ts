// Frames of a pytest traceback, whatever --tb style wrote it.
//   long/auto:  `calc/ops.py:19: ZeroDivisionError` closing a block of source that starts at `def ratio(`
//   short:      `calc/ops.py:19: in ratio`
//   line:       `/abs/calc/ops.py:19: ZeroDivisionError: division by zero`
//   native:     `  File "/abs/calc/ops.py", line 19, in ratio` (also SyntaxError's `E     File "...", line 4`)
//   fixtures:   `file /abs/tests/test_x.py, line 27` and a bare `/abs/tests/test_x.py:27`
import { Frame, Layout } from '../domain.js'
import { withoutCapturedOutput } from './crash.js'
import { isInside, relativeTo, resolveFrom, toPosix } from './paths.js'

const nativeFrame = /^\s*(?:E\s+)?File "(.+)", line (\d+)(?:, in (.+?))?\s*$/
const locationFrame = /^(?![E>]\s)(\S.*?):(\d+):(?: (.*))?$/
const bareLocation = /^(\S+?):(\d+)$/
const fixtureFrame = /^file (.+), line (\d+)$/
const functionStart = /^\s*(?:>\s*)?(?:async\s+)?def\s+(\w+)\s*[([]/
const blockSeparator = /^(?:_ )+_?$/

/** Paths pytest prints are files: they have a directory, an extension, or are `<frozen ...>`-style. */
function looksLikePath(candidate: string): boolean {
  return /^<.+>$/.test(candidate) || /[\\/]/.test(candidate) || /\.\w+$/.test(candidate)
}

/** A frame as pytest printed it: the path is relative to where pytest ran, or absolute. */
export interface PrintedFrame {
  path: string
  line: number
  func?: string
}

export function parseTraceback(text: string, layout: Layout): Frame[] {
  return printedFrames(text).map(frame => frameOf(frame, layout))
}

export function printedFrames(text: string): PrintedFrame[] {
  const lines = withoutCapturedOutput(text.replace(/\x1b\[[0-9;]*m/g, '')).split(/\r?\n/)
  const frames: PrintedFrame[] = []
  const add = (path: string, line: string, func: string | undefined): void => {
    frames.push({ path, line: Number(line), ...(func !== undefined ? { func } : {}) })
  }
  let blockStart = 0
  lines.forEach((line, index) => {
    const native = nativeFrame.exec(line)
    if (native) return add(native[1], native[2], native[3])
    const fixture = fixtureFrame.exec(line)
    if (fixture && looksLikePath(fixture[1])) return add(fixture[1], fixture[2], undefined)
    if (blockSeparator.test(line)) {
      blockStart = index + 1
      return
    }
    const location = locationFrame.exec(line) ?? bareLocation.exec(line)
    if (!location || !looksLikePath(location[1])) return
    const named = /^in (\S+)$/.exec(location[3] ?? '')
    add(location[1], location[2], named ? named[1] : functionIn(lines.slice(blockStart, index)))
    blockStart = index + 1
  })
  return frames
}

/** In a long-style block pytest prints the function's source from its `def` line on. */
function functionIn(block: string[]): string | undefined {
  for (const line of block) {
    const match = functionStart.exec(line)
    if (match) return match[1]
  }
  return undefined
}

function frameOf({ path: printed, line, func }: PrintedFrame, layout: Layout): Frame {
  const isPseudo = printed.startsWith('<')
  const absolute = isPseudo ? printed : resolveFrom(layout.workDir, printed)
  const inRepo = !isPseudo && isInside(layout.repoRoot, absolute) && !/\/(?:site|dist)-packages\//.test(absolute)
  return {
    file: inRepo ? relativeTo(layout.repoRoot, absolute) : toPosix(printed),
    line,
    ...(func !== undefined ? { func } : {}),
    inRepo
  }
}

/** The innermost frame in the repository's own code: where a fix most likely goes. */
export function innermostProjectFrame(frames: Frame[]): Frame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].inRepo) return frames[i]
  return undefined
}
