// Reads one JUnit XML document as pytest writes it (xunit1 or xunit2, one or many suites, nested or merged).
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { Phase, TestResult, UserError } from '../domain.js'
import { errorTypeOf, reportMessage } from './crash.js'
import { printedFrames } from './traceback.js'
import { NodeIdResolver } from './nodeid.js'

export const JUnitHint = "Set 'junit-xml' to the path your pytest step writes (pytest --junitxml=PATH)."

/** Captured output kept per testcase: enough to see what a test printed, not a 100 MB log. */
export const MaxCapturedChars = 20_000

const repeated = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped', 'system-out', 'system-err'])
/** Elements whose text is taken raw and decoded here: parsing 30 MB of captured output takes the parser 10 s. */
const rawText = ['failure', 'error', 'system-out', 'system-err']

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // entities are decoded here, only in the few values read (pytest escapes newlines in attributes as &#10;)
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
  isArray: name => repeated.has(name),
  stopNodes: rawText.map(tag => `*.${tag}`)
})

/** XML character references and the five named entities, in a raw value. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw
  let text = raw.includes('&#')
    ? raw.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (_match, code: string) =>
        // &#38; must not start a named entity below: keep it encoded until last
        code === '38' || code.toLowerCase() === 'x26'
          ? '&amp;'
          : String.fromCodePoint(code[0] === 'x' ? parseInt(code.slice(1), 16) : parseInt(code, 10))
      )
    : raw
  text = text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
  return text.replace(/&amp;/g, '&')
}

type XmlNode = Record<string, unknown>

export function parseJUnitXml(xml: string, source: string, resolve: NodeIdResolver): TestResult[] {
  if (xml.trim() === '') {
    throw new UserError(`JUnit report '${source}' is empty: the pytest run may have stopped before writing it. ${JUnitHint}`)
  }
  let document: XmlNode
  try {
    document = parser.parse(xml) as XmlNode
  } catch {
    throw malformed(xml, source)
  }
  const rootName = Object.keys(document).find(key => !/^[?#!]/.test(key))
  // the parser accepts a document cut short; a complete one ends by closing its root
  if (rootName === undefined || (!endsWithTag(xml, `</${rootName}>`) && XMLValidator.validate(xml) !== true)) {
    throw malformed(xml, source)
  }
  if (rootName !== 'testsuites' && rootName !== 'testsuite') {
    throw new UserError(`'${source}' is not a JUnit XML report: its root element is <${rootName}>${describeRoot(rootName)}. ${JUnitHint}`)
  }
  const suites = asNodes(document[rootName])
  const otherTool = otherToolOf(rootName, suites)
  if (otherTool) {
    throw new UserError(`JUnit report '${source}' was written by ${otherTool}, not pytest. ${JUnitHint}`)
  }
  const results: TestResult[] = []
  const seen = new Set<string>()
  for (const testcase of testcasesOf(rootName, suites)) {
    for (const result of resultsOf(testcase, resolve)) {
      if (result.outcome === 'failed' || result.outcome === 'error') {
        // pytest-xdist workers report one collection error once per worker
        const key = [result.nodeId, result.outcome, result.phase, result.message, result.details].join('\u0000')
        if (seen.has(key)) continue
        seen.add(key)
      }
      results.push(result)
    }
  }
  return results
}

/** Does the text end with `tag`, trailing whitespace aside? (without copying a large document) */
function endsWithTag(text: string, tag: string): boolean {
  let end = text.length
  while (end > 0 && /\s/.test(text[end - 1])) end--
  return text.startsWith(tag, end - tag.length)
}

function malformed(xml: string, source: string): UserError {
  const validation = XMLValidator.validate(xml)
  const detail = validation === true ? 'it ends before its root element closes' : `line ${validation.err.line}: ${validation.err.msg}`
  return new UserError(`JUnit report '${source}' is not well-formed XML (${detail}); it may be truncated or not XML at all. ${JUnitHint}`)
}

function describeRoot(rootName: string | undefined): string {
  if (rootName === 'coverage') return ' (a coverage report)'
  if (rootName?.toLowerCase() === 'html') return ' (an HTML page)'
  return ''
}

/** Elements as objects; a text-only element (`<failure>text</failure>`) arrives as a bare string. */
function asNodes(value: unknown): XmlNode[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return items.map(item => {
    if (typeof item === 'object' && item !== null) return item as XmlNode
    return { '#text': typeof item === 'string' ? item : '' }
  })
}

/** The decoded text of an element; only the last `limit` characters when given (whole lines). */
function text(node: XmlNode, limit?: number): string {
  const value = node['#text']
  if (typeof value !== 'string') return ''
  if (limit === undefined || value.length <= limit) return decodeText(value)
  // cut at a line start: pytest writes newlines raw, so no entity is split
  const cut = value.indexOf('\n', value.length - limit)
  const omitted = cut < 0 ? value.length : cut + 1
  return `[${omitted} characters omitted]\n${decodeText(value.slice(omitted))}`
}

/** Raw element text: entities decoded, CDATA sections (other Python runners write them) taken as they are. */
function decodeText(raw: string): string {
  if (!raw.includes('<![CDATA[')) return decodeEntities(raw)
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map(part => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part)))
    .join('')
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[name]
  return typeof value === 'string' ? decodeEntities(value) : undefined
}

/** Every testcase, in document order, however deep the suites nest. */
function testcasesOf(kind: string, nodes: XmlNode[], found: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    if (kind === 'testsuite' && node.testcase !== undefined) for (const testcase of asNodes(node.testcase)) found.push(testcase)
    if (node.testsuites !== undefined) testcasesOf('testsuites', asNodes(node.testsuites), found)
    if (node.testsuite !== undefined) testcasesOf('testsuite', asNodes(node.testsuite), found)
  }
  return found
}

/** Tells reports of other test runners from pytest's, which never carry these marks. */
function otherToolOf(rootName: string, roots: XmlNode[]): string | undefined {
  const suiteName = rootName === 'testsuites' ? attribute(roots[0], 'name') : undefined
  if (suiteName === 'pytest tests') return undefined
  const toolNamed = /\b(jest|vitest|mocha|karma|cypress|playwright|phpunit|go test)\b/i.exec(suiteName ?? '')
  if (toolNamed) return `${toolNamed[1]} (its suites are named '${suiteName}')`
  const suites = [...(rootName === 'testsuite' ? roots : roots.flatMap(r => asNodes(r.testsuite)))]
  for (const suite of suites) {
    const schema = attribute(suite, 'xsi:noNamespaceSchemaLocation') ?? ''
    const properties = asNodes(asNodes(suite.properties)[0]?.property)
    if (/surefire|failsafe/i.test(schema) || properties.some(p => attribute(p, 'name')?.startsWith('java.'))) {
      return 'Maven Surefire or another Java test runner'
    }
    for (const testcase of asNodes(suite.testcase).slice(0, 20)) {
      const file = attribute(testcase, 'file')
      if (file && /\.(?:[cm]?[jt]sx?|java|kt|go|rb|php|cs)$/.test(file)) return `a runner for '${file}'`
    }
  }
  return undefined
}

function resultsOf(testcase: XmlNode, resolve: NodeIdResolver): TestResult[] {
  const classname = attribute(testcase, 'classname') ?? ''
  const name = attribute(testcase, 'name') ?? ''
  const file = attribute(testcase, 'file')
  const lineText = attribute(testcase, 'line')
  // xunit1 writes pytest's 0-based location line; TestResult lines are 1-based like tracebacks
  const line = lineText !== undefined && /^\d+$/.test(lineText) ? Number(lineText) + 1 : undefined
  const where: TestResult = { nodeId: '', outcome: 'passed' }
  if (file !== undefined) where.file = file
  if (line !== undefined) where.line = line

  if (testcase.failure === undefined && testcase.error === undefined) {
    // most testcases pass: keep this path lean, a report can hold 50,000 of them
    where.nodeId = resolve({ classname, name, file, line })
    const skipped = testcase.skipped === undefined ? undefined : asNodes(testcase.skipped)[0]
    if (skipped) {
      where.outcome = attribute(skipped, 'type') === 'pytest.xfail' ? 'xfailed' : 'skipped'
      where.message = attribute(skipped, 'message') ?? ''
    }
    return [where]
  }
  const failing = [
    ...asNodes(testcase.failure).map(node => ({ node, outcome: 'failed' as const, details: text(node) })),
    ...asNodes(testcase.error).map(node => ({ node, outcome: 'error' as const, details: text(node) }))
  ]
  const tracebackFile = printedFrames(failing[0].details)[0]?.path
  where.nodeId = resolve({ classname, name, file, line, ...(tracebackFile !== undefined ? { tracebackFile } : {}) })
  const captured = capturedOutput(testcase)
  return failing.map(({ node, outcome, details }) => {
    const { phase, message } = phaseOf(outcome, attribute(node, 'message') ?? '', details, classname)
    const errorType = errorTypeOf(message, details) ?? attribute(node, 'type')
    const full = captured === '' ? details : `${details}\n${captured}`
    return { ...where, outcome, phase, message, details: full, ...(errorType ? { errorType } : {}) }
  })
}

/** The phase a failure happened in, and its message without pytest's phase wording. */
function phaseOf(outcome: 'failed' | 'error', raw: string, details: string, classname: string): { phase: Phase; message: string } {
  const wrapped = outcome === 'error' ? /^failed on (setup|teardown) with "([\s\S]*)"$/.exec(raw) : null
  const phase: Phase = wrapped ? (wrapped[1] as Phase) : outcome === 'failed' || classname !== '' ? 'call' : 'collect'
  const message = wrapped ? wrapped[2] : raw
  // pytest's message is the whole report when it has no crash line: collection errors ('collection failure'),
  // doctests (the numbered example lines), missing fixtures (`file ..., line 27`); the traceback says more
  const wholeReport = phase === 'collect' || /^\d{3} /.test(message) || /^file .+, line \d+\n/.test(message)
  return { phase, message: (wholeReport ? reportMessage(details) : undefined) ?? message }
}

/** system-out / system-err (junit_logging), the tail of each when huge. */
function capturedOutput(testcase: XmlNode): string {
  const parts: string[] = []
  for (const tag of ['system-out', 'system-err']) {
    for (const node of asNodes(testcase[tag])) {
      const content = text(node, MaxCapturedChars)
      if (content.trim() !== '') parts.push(content)
    }
  }
  return parts.join('\n')
}
