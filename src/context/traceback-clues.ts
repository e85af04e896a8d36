// Places a failure's text points at beyond its frames: the file and line of a SyntaxError, the module an
// ImportError names, frames of native-style tracebacks. Collection errors carry most of their meaning here.
import type { Frame } from '../domain.js'
import type { ProjectSources } from './project-sources.js'
import { toPosix } from './project-sources.js'

/** A place in the repository the failure points at. */
export interface Clue {
  file: string
  line?: number
  /** a name the error is about: the one an ImportError could not import, an AttributeError's attribute */
  symbol?: string
  kind: 'syntax' | 'frame' | 'import-target'
}

export interface Clues {
  /** in the order the text gives them (outermost frame first, the error last) */
  clues: Clue[]
  /** modules named by `No module named 'x'` / `module 'x' has no attribute 'y'`, for the caller to resolve */
  modules: Array<{ module: string; symbol?: string }>
}

const outsideProject = /(site-packages|dist-packages|[\\/]lib[\\/]python\d|^<)/

/** Maps a path as pytest printed it to a repository path: relative to where pytest ran, or absolute. */
export async function locatePrinted(printed: string, sources: ProjectSources): Promise<string | null> {
  const path = toPosix(printed.trim())
  if (path === '' || path.startsWith('<')) return null
  const { workDir, rootDir, repoRoot } = sources.layout
  for (const base of [workDir, rootDir, repoRoot]) {
    const candidate = sources.repoPath(path, base)
    if (candidate !== null && !sources.isInstalledCode(candidate) && (await sources.exists(candidate))) return candidate
  }
  // A report written on another machine: match the longest path suffix that exists in this checkout.
  if (/^([A-Za-z]:)?\//.test(path) && !outsideProject.test(path)) {
    const parts = path.split('/').filter(part => part !== '' && !/^[A-Za-z]:$/.test(part))
    for (let skip = 1; skip < parts.length && skip <= 12; skip++) {
      const candidate = parts.slice(skip).join('/')
      if (!sources.isInstalledCode(candidate) && (await sources.exists(candidate))) return candidate
    }
  }
  return null
}

/** Reads the clues out of a failure's traceback and message. */
export async function readClues(text: string, sources: ProjectSources): Promise<Clues> {
  const clues: Clue[] = []
  const modules: Clues['modules'] = []
  const add = (clue: Clue): void => {
    if (!clues.some(known => known.file === clue.file && known.line === clue.line && known.kind === clue.kind)) clues.push(clue)
  }
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^E\s+/, '')
    const native = /File "([^"]+)", line (\d+)/.exec(line)
    if (native) {
      const file = await locatePrinted(native[1], sources)
      const kind = /^\s*File/.test(line) && rawLine.startsWith('E ') ? 'syntax' : 'frame'
      if (file) add({ file, line: Number(native[2]), kind })
      continue
    }
    const pytestFrame = /^((?:[A-Za-z]:)?[^\s:][^:\n]*?\.pyx?):(\d+):/.exec(rawLine)
    if (pytestFrame) {
      const file = await locatePrinted(pytestFrame[1], sources)
      if (file) add({ file, line: Number(pytestFrame[2]), kind: 'frame' })
      continue
    }
    const cannotImport = /cannot import name '(\w+)' from '([\w.]+)' \(([^)]*)\)/.exec(line)
    if (cannotImport) {
      const file = await locatePrinted(cannotImport[3], sources)
      if (file) add({ file, symbol: cannotImport[1], kind: 'import-target' })
      else modules.push({ module: cannotImport[2], symbol: cannotImport[1] })
      continue
    }
    const noAttribute = /module '([\w.]+)' has no attribute '(\w+)'/.exec(line)
    if (noAttribute) {
      modules.push({ module: noAttribute[1], symbol: noAttribute[2] })
      continue
    }
    const noModule = /No module named '([\w.]+)'/.exec(line)
    if (noModule) modules.push({ module: noModule[1] })
  }
  return { clues, modules }
}

/** A frame's label for the prompt: `path:line in func`. */
export function frameLabel(frame: Frame): string {
  return `${frame.file}:${frame.line}${frame.func ? ` in ${frame.func}` : ''}`
}
