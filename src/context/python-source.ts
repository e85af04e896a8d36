// A small Python reader in TypeScript: logical statements, def/class blocks, names used.
// Indentation-based on purpose: it must work on code that does not parse (the syntax error we are asked to
// fix) and needs no Python at prompt time.

/** One logical statement: physical lines start..end (1-based, inclusive). */
export interface Statement {
  start: number
  end: number
  indent: number
  /** the statement's code, comments removed and string contents blanked (quotes kept), lines joined by '\n' */
  code: string
}

/** A def or class with its body. */
export interface Block {
  kind: 'def' | 'class'
  name: string
  /** first line, decorators included */
  start: number
  /** the line of the def/class keyword */
  header: number
  /** last line of the body's last statement */
  end: number
  indent: number
  /** index of the enclosing block in PythonModule.blocks, -1 at module level */
  parent: number
  /** the header statement's code (the signature, possibly over several lines) */
  signature: string
  /** decorators as written, strings intact */
  decorators: string[]
}

export interface PythonModule {
  lines: string[]
  statements: Statement[]
  blocks: Block[]
}

const headerPattern = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/

export function parsePython(source: string): PythonModule {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const statements = scanStatements(lines)
  return { lines, statements, blocks: findBlocks(lines, statements) }
}

function indentWidth(line: string): number {
  let width = 0
  for (const char of line) {
    if (char === ' ') width++
    else if (char === '\t') width = width - (width % 8) + 8
    else if (char === '\f') width = 0
    else break
  }
  return width
}

function scanStatements(lines: string[]): Statement[] {
  const statements: Statement[] = []
  let depth = 0
  let quote: string | null = null
  let current: { start: number; indent: number; code: string[] } | null = null
  const close = (end: number): void => {
    if (current) statements.push({ start: current.start, end, indent: current.indent, code: current.code.join('\n') })
    current = null
  }
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    const trimmed = line.trim()
    // Broken code (an unclosed bracket) must not swallow the rest of the file: a def/class/decorator at or
    // left of the open statement's indent starts afresh.
    if (current && quote === null && depth > 0 && /^(@|(async\s+)?def\s|class\s)/.test(trimmed) && indentWidth(line) <= current.indent) {
      close(index)
      depth = 0
    }
    if (!current) {
      if (trimmed === '' || trimmed.startsWith('#')) continue
      current = { start: index + 1, indent: indentWidth(line), code: [] }
    }
    let code = ''
    let column = 0
    while (column < line.length) {
      const char = line[column]
      if (quote !== null) {
        if (char === '\\') {
          code += '  '
          column += 2
        } else if (line.startsWith(quote, column)) {
          code += quote
          column += quote.length
          quote = null
        } else {
          code += ' '
          column++
        }
        continue
      }
      if (char === '#') break
      if (char === '"' || char === "'") {
        quote = line.startsWith(char.repeat(3), column) ? char.repeat(3) : char
        code += quote
        column += quote.length
        continue
      }
      if (char === '(' || char === '[' || char === '{') depth++
      else if (char === ')' || char === ']' || char === '}') depth = Math.max(0, depth - 1)
      code += char
      column++
    }
    // a one-quote string ends with its line unless the newline is escaped (an unterminated one is an error)
    if (quote !== null && quote.length === 1 && !line.endsWith('\\')) quote = null
    const continued = quote === null && /\\\s*$/.test(code)
    current.code.push(code)
    if (quote === null && depth === 0 && !continued) close(index + 1)
  }
  close(lines.length)
  return statements
}

function findBlocks(lines: string[], statements: Statement[]): Block[] {
  const blocks: Block[] = []
  const open: number[] = []
  let decorators: Statement[] = []
  for (const statement of statements) {
    while (open.length > 0 && blocks[open[open.length - 1]].indent >= statement.indent) open.pop()
    for (const index of open) blocks[index].end = Math.max(blocks[index].end, statement.end)
    const code = statement.code.trimStart()
    if (code.startsWith('@')) {
      if (decorators.length > 0 && decorators[0].indent !== statement.indent) decorators = []
      decorators.push(statement)
      continue
    }
    const header = headerPattern.exec(code)
    if (header) {
      const ownDecorators = decorators.filter(decorator => decorator.indent === statement.indent)
      blocks.push({
        kind: header[1] as 'def' | 'class',
        name: header[2],
        start: ownDecorators[0]?.start ?? statement.start,
        header: statement.start,
        end: statement.end,
        indent: statement.indent,
        parent: open.length > 0 ? open[open.length - 1] : -1,
        signature: code,
        decorators: ownDecorators.map(decorator =>
          lines
            .slice(decorator.start - 1, decorator.end)
            .join('\n')
            .trim()
        )
      })
      open.push(blocks.length - 1)
    }
    decorators = []
  }
  return blocks
}

/** The deepest def or class that holds the line (decorators count as inside). */
export function innermostBlock(module: PythonModule, line: number, kind?: Block['kind']): Block | undefined {
  let best: Block | undefined
  for (const block of module.blocks) {
    if (block.start <= line && line <= block.end && (kind === undefined || block.kind === kind)) {
      if (!best || block.indent > best.indent || (block.indent === best.indent && block.start > best.start)) best = block
    }
  }
  return best
}

/** Dotted name of a block inside its module, e.g. `Cart.total`. */
export function qualifiedName(module: PythonModule, block: Block): string {
  const names = [block.name]
  for (let parent = block.parent; parent >= 0; parent = module.blocks[parent].parent) names.unshift(module.blocks[parent].name)
  return names.join('.')
}

/** The blocks directly inside `parent` (module level for undefined). */
export function childBlocks(module: PythonModule, parent?: Block): Block[] {
  const parentIndex = parent ? module.blocks.indexOf(parent) : -1
  return module.blocks.filter(block => block.parent === parentIndex)
}

/** The block reached by a path of names from module level: ['TestCart', 'test_total']. */
export function blockAtPath(module: PythonModule, names: string[]): Block | undefined {
  let parent: Block | undefined
  for (const name of names) {
    const found: Block | undefined = childBlocks(module, parent)
      .filter(block => block.name === name)
      .pop()
    if (!found) return undefined
    parent = found
  }
  return parent
}

/** A module-level assignment such as `TAX_RATE = 0.2` or `RATE: float = 0.2`. */
export function moduleAssignment(module: PythonModule, name: string): Statement | undefined {
  const pattern = new RegExp(`^${name}\\s*(:[^=\\n]*)?=(?!=)`)
  return module.statements.find(statement => statement.indent === 0 && pattern.test(statement.code))
}

/** The statements inside lines start..end. */
export function statementsIn(module: PythonModule, start: number, end: number): Statement[] {
  return module.statements.filter(statement => statement.start >= start && statement.end <= end)
}

/** Parameter names of a def, without self/cls, `*` and `/`. */
export function parameterNames(block: Block): string[] {
  const open = block.signature.indexOf('(')
  if (block.kind !== 'def' || open < 0) return []
  const parts: string[] = []
  let depth = 0
  let part = ''
  for (const char of block.signature.slice(open + 1)) {
    if (char === '(' || char === '[' || char === '{') depth++
    if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) break
      depth--
    }
    if (char === ',' && depth === 0) {
      parts.push(part)
      part = ''
    } else part += char
  }
  parts.push(part)
  return parts
    .map(text => /^\s*\**\s*([A-Za-z_]\w*)/.exec(text)?.[1] ?? '')
    .filter(name => name !== '' && name !== 'self' && name !== 'cls')
}

/** Dotted name chains (`shop.pricing.discount`, `cart`) and attribute names (`.total`) used in code. */
export interface NamesUsed {
  chains: string[][]
  attributes: Set<string>
}

const keywords = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield match case print'
  ).split(' ')
)

/** Names used in code (already stripped of strings and comments, as Statement.code is). */
export function namesUsed(code: string): NamesUsed {
  const chains: string[][] = []
  const attributes = new Set<string>()
  const seen = new Set<string>()
  for (const match of code.matchAll(/(\.\s*)?\b([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)/g)) {
    const parts = match[2].split('.').map(part => part.trim())
    if (match[1]) {
      for (const part of parts) attributes.add(part)
      continue
    }
    for (const part of parts.slice(1)) attributes.add(part)
    if (keywords.has(parts[0])) continue
    const key = parts.join('.')
    if (!seen.has(key)) {
      seen.add(key)
      chains.push(parts)
    }
  }
  return { chains, attributes }
}
