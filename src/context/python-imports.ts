// The dependency map: which project file a Python import statement names, and where a name is defined.
import type { ProjectSources } from './project-sources.js'
import { joinRepoPath, repoDirname } from './project-sources.js'
import { blockAtPath, childBlocks, moduleAssignment, type Block, type PythonModule } from './python-source.js'

/** One name an import statement binds. */
export interface ImportBinding {
  /** the name bound in the importing module */
  local: string
  /** the module as written; leading dots for relative imports */
  module: string
  /** for `from module import name` */
  name?: string
  /** for `import a.b.c` (binds `a`): the whole dotted module, reachable as a.b.c */
  fullModule?: string
}

export interface ModuleImports {
  bindings: ImportBinding[]
  /** modules of `from module import *` */
  stars: string[]
}

export function moduleImports(module: PythonModule): ModuleImports {
  const bindings: ImportBinding[] = []
  const stars: string[] = []
  for (const statement of module.statements) {
    const code = statement.code.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim()
    const plain = /^import (.+)$/.exec(code)
    if (plain) {
      for (const item of plain[1].split(',')) {
        const match = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(item)
        if (!match) continue
        if (match[2]) bindings.push({ local: match[2], module: match[1] })
        else bindings.push({ local: match[1].split('.')[0], module: match[1].split('.')[0], fullModule: match[1] })
      }
      continue
    }
    const from = /^from (\.*[\w.]*) import (.+)$/.exec(code)
    if (!from) continue
    for (const item of from[2].replace(/[()]/g, '').split(',')) {
      const match = /^\s*(\*|\w+)(?:\s+as\s+(\w+))?\s*$/.exec(item)
      if (!match) continue
      if (match[1] === '*') stars.push(from[1])
      else bindings.push({ local: match[2] ?? match[1], module: from[1], name: match[1] })
    }
  }
  return { bindings, stars }
}

/** Where a name leads: a definition in a file, or a whole module. */
export interface Definition {
  file: string
  kind: 'def' | 'class' | 'assign' | 'module'
  /** lines of the definition (the whole file for a module) */
  start: number
  end: number
  /** the block for a def or class */
  block?: Block
}

const maxHops = 4

/** Resolves imports and names to project files, given the folders Python imports from. */
export class SymbolResolver {
  constructor(
    private readonly sources: ProjectSources,
    /** repository-relative folders on sys.path, most likely first ('' is the repository root) */
    private readonly roots: string[]
  ) {}

  /** The project file of a module (`pkg.mod`, `.mod`, `..pkg`) imported from `importer`; null if not in the project. */
  async resolveModule(module: string, importer: string): Promise<string | null> {
    const dots = /^\.*/.exec(module)?.[0].length ?? 0
    const parts = module
      .slice(dots)
      .split('.')
      .filter(part => part !== '')
    if (dots > 0) {
      let base = repoDirname(importer)
      for (let level = 1; level < dots; level++) base = repoDirname(base)
      return this.moduleFile(joinRepoPath(base, ...parts))
    }
    for (const root of this.roots) {
      const found = await this.moduleFile(joinRepoPath(root, ...parts))
      if (found) return found
    }
    return null
  }

  private async moduleFile(base: string): Promise<string | null> {
    for (const candidate of [`${base}.py`, joinRepoPath(base, '__init__.py')]) {
      if (!candidate.startsWith('/') && !this.sources.isInstalledCode(candidate) && (await this.sources.exists(candidate))) {
        return candidate
      }
    }
    return null
  }

  /** Where `name` is defined when looked up in `file`: its own def/class/assignment, or what it imports. */
  async resolveName(file: string, name: string, hops = 0): Promise<Definition | null> {
    const module = await this.sources.python(file)
    if (!module || hops > maxHops) return null
    const block = blockAtPath(module, [name])
    if (block) return { file, kind: block.kind, start: block.start, end: block.end, block }
    const assignment = moduleAssignment(module, name)
    if (assignment) return { file, kind: 'assign', start: assignment.start, end: assignment.end }
    const imports = moduleImports(module)
    const binding = imports.bindings.filter(candidate => candidate.local === name).pop()
    if (binding) return this.resolveBinding(file, binding, hops)
    for (const star of imports.stars) {
      const target = await this.resolveModule(star, file)
      const found = target ? await this.resolveName(target, name, hops + 1) : null
      if (found) return found
    }
    return null
  }

  private async resolveBinding(file: string, binding: ImportBinding, hops: number): Promise<Definition | null> {
    if (binding.name === undefined) return this.moduleDefinition(await this.resolveModule(binding.module, file))
    // `from pkg import mod` names a submodule when one exists, else a name in pkg/__init__.py
    const separator = binding.module.endsWith('.') ? '' : '.'
    const submodule = await this.resolveModule(`${binding.module}${separator}${binding.name}`, file)
    if (submodule) return this.moduleDefinition(submodule)
    const target = await this.resolveModule(binding.module, file)
    return target ? this.resolveName(target, binding.name, hops + 1) : null
  }

  private async moduleDefinition(file: string | null): Promise<Definition | null> {
    if (!file) return null
    const module = await this.sources.python(file)
    return { file, kind: 'module', start: 1, end: Math.max(1, module?.lines.length ?? 1) }
  }

  /**
   * The definitions a dotted chain used in `file` passes through: `shop.pricing.discount` gives the module
   * shop/pricing.py and its def discount; `Cart.total` the class and its method.
   */
  async resolveChain(file: string, chain: string[]): Promise<Definition[]> {
    const module = await this.sources.python(file)
    if (!module) return []
    const imports = moduleImports(module)
    // `import a.b.c` then `a.b.c.f`: start from the longest imported module the chain begins with
    const dotted = `${chain.join('.')}.`
    const full = imports.bindings
      .map(binding => binding.fullModule ?? '')
      .filter(fullModule => fullModule.includes('.') && dotted.startsWith(`${fullModule}.`))
      .sort((a, b) => b.length - a.length)[0]
    let current: Definition | null
    let rest: string[]
    if (full) {
      current = await this.moduleDefinition(await this.resolveModule(full, file))
      rest = chain.slice(full.split('.').length)
    } else {
      current = await this.resolveName(file, chain[0])
      rest = chain.slice(1)
    }
    const found: Definition[] = []
    while (current) {
      found.push(current)
      const next = rest.shift()
      if (next === undefined) break
      current = await this.member(current, next)
    }
    return found.filter(definition => definition.file !== file || definition.kind !== 'module')
  }

  /** An attribute of a module (a name or submodule) or a class (a method or nested class). */
  async member(owner: Definition, name: string, depth = 0): Promise<Definition | null> {
    if (owner.kind === 'module') {
      const isPackage = owner.file.endsWith('/__init__.py') || owner.file === '__init__.py'
      if (isPackage) {
        const submodule = await this.moduleFile(joinRepoPath(repoDirname(owner.file), name))
        if (submodule) return this.moduleDefinition(submodule)
      }
      return this.resolveName(owner.file, name)
    }
    if (owner.kind === 'class' && owner.block) {
      const module = await this.sources.python(owner.file)
      const member = module
        ? childBlocks(module, owner.block)
            .filter(block => block.name === name)
            .pop()
        : undefined
      if (member) return { file: owner.file, kind: member.kind, start: member.start, end: member.end, block: member }
      // an inherited method: `self.quote()` in a subclass runs the base class's code
      if (depth < maxHops) {
        for (const base of await this.baseClasses(owner)) {
          const inherited = await this.member(base, name, depth + 1)
          if (inherited) return inherited
        }
      }
    }
    return null
  }

  /** The project classes a class derives from, as its header names them (`class A(base.B, C, metaclass=M)`). */
  async baseClasses(owner: Definition): Promise<Definition[]> {
    if (owner.kind !== 'class' || !owner.block) return []
    const open = owner.block.signature.indexOf('(')
    const close = owner.block.signature.lastIndexOf(')')
    if (open < 0 || close < open) return []
    const bases: Definition[] = []
    for (const part of owner.block.signature.slice(open + 1, close).split(',')) {
      const name = part.trim()
      // keyword arguments (metaclass=...) and subscripted generics' parameters are no base classes
      if (!/^[A-Za-z_][\w.]*(\[.*)?$/.test(name) || name.includes('=')) continue
      const chain = name.replace(/\[.*$/, '').split('.')
      const found = (await this.resolveChain(owner.file, chain)).pop()
      if (found?.kind === 'class' && found.block && !(found.file === owner.file && found.start === owner.start)) bases.push(found)
    }
    return bases
  }

  /** The project files a module imports. */
  async importedFiles(file: string): Promise<string[]> {
    const module = await this.sources.python(file)
    if (!module) return []
    const imports = moduleImports(module)
    const files: string[] = []
    for (const binding of imports.bindings) {
      const definition = await this.resolveBinding(file, binding, 0)
      const target = definition?.file ?? null
      if (target && target !== file && !files.includes(target)) files.push(target)
    }
    for (const star of imports.stars) {
      const target = await this.resolveModule(star, file)
      if (target && target !== file && !files.includes(target)) files.push(target)
    }
    return files
  }
}
