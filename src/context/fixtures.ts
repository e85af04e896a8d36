// The pytest fixtures a test uses, found where pytest looks for them: the test's class, its module, and the
// conftest.py files from the test's folder up to the repository root.
import type { ProjectSources } from './project-sources.js'
import { joinRepoPath, repoDirname } from './project-sources.js'
import { childBlocks, parameterNames, type Block } from './python-source.js'

export interface FixtureDefinition {
  name: string
  file: string
  block: Block
}

const fixtureDecorator = /^@\s*(?:[\w.]+\.)?fixture\b/
const usefixtures = /^@\s*(?:pytest\.)?mark\.usefixtures\s*\(([^)]*)\)/

/** The name a fixture def provides: `@pytest.fixture(name="x")` or the function's own name. */
function fixtureName(block: Block): string | null {
  const decorator = block.decorators.find(text => fixtureDecorator.test(text))
  if (block.kind !== 'def' || decorator === undefined) return null
  return /\bname\s*=\s*["'](\w+)["']/.exec(decorator)?.[1] ?? block.name
}

/** Fixture names a test requests: its parameters and @pytest.mark.usefixtures on it or its classes. */
export function requestedFixtures(test: Block, enclosingClasses: Block[]): string[] {
  const names = parameterNames(test)
  for (const block of [test, ...enclosingClasses]) {
    for (const decorator of block.decorators) {
      const match = usefixtures.exec(decorator)
      if (match) for (const name of match[1].matchAll(/["'](\w+)["']/g)) names.push(name[1])
    }
  }
  return [...new Set(names)]
}

/**
 * The definitions of the named fixtures, and of the fixtures those request (two levels), nearest first as
 * pytest resolves overrides. Names pytest or a plugin provides (tmp_path, monkeypatch) are not found: fine.
 */
export async function findFixtures(
  sources: ProjectSources,
  names: string[],
  testFile: string,
  enclosingClasses: Block[]
): Promise<FixtureDefinition[]> {
  const scopes: Array<{ file: string; blocks: Block[] }> = []
  const testModule = await sources.python(testFile)
  if (testModule) {
    for (const owner of [...enclosingClasses].reverse()) scopes.push({ file: testFile, blocks: childBlocks(testModule, owner) })
    scopes.push({ file: testFile, blocks: childBlocks(testModule) })
  }
  for (let dir = repoDirname(testFile); ; dir = repoDirname(dir)) {
    const conftest = joinRepoPath(dir, 'conftest.py')
    const module = conftest === testFile ? null : await sources.python(conftest)
    if (module) scopes.push({ file: conftest, blocks: childBlocks(module) })
    if (dir === '') break
  }

  const found: FixtureDefinition[] = []
  let wanted = names
  for (let level = 0; level < 3 && wanted.length > 0; level++) {
    const next: string[] = []
    for (const name of wanted) {
      if (found.some(fixture => fixture.name === name)) continue
      for (const scope of scopes) {
        const block = scope.blocks.find(candidate => fixtureName(candidate) === name)
        if (!block) continue
        found.push({ name, file: scope.file, block })
        next.push(...parameterNames(block).filter(parameter => parameter !== 'request'))
        break
      }
    }
    wanted = next
  }
  return found
}
