import { existsSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anchors, code, docPages, linkTargets, readPage, repoRoot, slug } from './markdown.ts'

const pages = docPages()

type Link = { page: string; target: string; path: string; anchor: string | undefined }

function relativeLinks(page: string): Link[] {
  return linkTargets(readPage(page))
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target))
    .map((target) => {
      const [file = '', anchor] = target.split('#')
      const path = file === '' ? page : normalize(join(dirname(page), decodeURI(file)))
      return { page, target, path, anchor }
    })
}

const links = pages.flatMap(relativeLinks)

// The repository's past belongs in git log; a page says what the code does. Another project's
// issue is a citation, and is allowed once the page names it as `owner/repo issue N`.
const historyPhrases = [
  /\bpart i{1,3}\b/gi,
  /\boriginal project/gi,
  /\bused to\b/gi,
  /\bno longer\b/gi,
]

function historyIn(text: string): string[] {
  const found = historyPhrases.flatMap((phrase) => text.match(phrase) ?? [])
  const cited = new Set(
    [...text.matchAll(/[\w.-]+\/[\w.-]+ (?:issue|PR) (\d+)/gi)].map(([, number]) => number),
  )
  for (const [phrase, number] of text.matchAll(/\bissue #?(\d+)/gi)) {
    if (!cited.has(number)) found.push(phrase)
  }
  return found
}

const makeTargets = new Set(
  [...readPage('Makefile').matchAll(/^([\w.-]+):/gm)].map(([, target]) => target),
)

function makeCommands(text: string): string[] {
  return code(text).flatMap((snippet) =>
    [...snippet.matchAll(/(?:^|[\s(;&|])make[ \t]+([a-z][\w-]*)/g)].map(
      ([, target]) => target ?? '',
    ),
  )
}

type PackageJson = { name?: string; scripts?: Record<string, string>; workspaces?: string[] }

function packageJson(dir: string): PackageJson {
  return JSON.parse(readPage(dir === '' ? 'package.json' : `${dir}/package.json`)) as PackageJson
}

// `-w` takes a workspace's folder or its package name.
function workspaceDir(workspace: string): string | undefined {
  return (packageJson('').workspaces ?? []).find(
    (dir) => dir === workspace || packageJson(dir).name === workspace,
  )
}

/** Each npm command in code that runs a script, as `script` or `script -w workspace`. */
function npmCommands(text: string): string[] {
  return code(text).flatMap((snippet) =>
    [...snippet.matchAll(/\bnpm[ \t]+(?:run[ \t]+([\w:.-]+)|(start|test)\b)([^\n#|;&]*)/g)].map(
      ([, run, builtin, rest = '']) => {
        const script = (run ?? builtin ?? '').replace(/:$/, '')
        const workspace = /(?:^|\s)(?:-w|--workspace)[ =](\S+)/.exec(rest.split(' -- ')[0] ?? '')
        return workspace ? `${script} -w ${workspace[1]}` : script
      },
    ),
  )
}

function scriptExists(command: string): boolean {
  const [script = '', , workspace] = command.split(' ')
  const dir = workspace === undefined ? '' : workspaceDir(workspace)
  return dir !== undefined && packageJson(dir).scripts?.[script] !== undefined
}

const repoPath =
  /^(?:(?:order|service|receiver|processor|stack|tools|deploy|e2e|copilot|localstack|docs|scripts|\.ci)\/[\w./-]*|docker-compose[\w.-]*\.yml|\.env\.example|\.nvmrc|Makefile)$/
const ignoredDirs = readPage('.gitignore')
  .split('\n')
  .filter((line) => line.endsWith('/'))

/** Paths in the repository named in code: `stack/src/up.ts`, `deploy/containers/`, … */
function repoPaths(text: string): string[] {
  return code(text)
    .flatMap((snippet) => snippet.split(/[\s,()"'=]+/))
    .map((token) => token.replace(/[.:;]+$/, ''))
    .filter((token) => repoPath.test(token) && !ignoredDirs.some((dir) => token.startsWith(dir)))
}

function everyPage<T>(find: (text: string) => T[]): string[] {
  return pages.flatMap((page) => find(readPage(page)).map((hit) => `${page}: ${hit}`))
}

describe('README.md', () => {
  it('when counted, then it is at most 250 lines', () => {
    expect(readPage('README.md').trimEnd().split('\n').length).toBeLessThanOrEqual(250)
  })

  it('when followed, then its links reach every docs page, directly or through docs/README.md', () => {
    const reached = new Set(relativeLinks('README.md').map(({ path }) => path))
    if (reached.has('docs/README.md')) {
      for (const { path } of relativeLinks('docs/README.md')) reached.add(path)
    }
    expect(pages.filter((page) => page !== 'README.md' && !reached.has(page))).toEqual([])
  })
})

describe('README.md and docs/*.md', () => {
  it('when a relative link or image is followed, then the file exists', () => {
    expect(links.length).toBeGreaterThan(10)
    const broken = links.filter(({ path }) => !existsSync(join(repoRoot, path)))
    expect(broken.map(({ page, target }) => `${page}: ${target}`)).toEqual([])
  })

  it('when a link names an #anchor, then the page it points to has that heading', () => {
    const anchored = links.filter(
      ({ path, anchor }) => anchor && path.endsWith('.md') && existsSync(join(repoRoot, path)),
    )
    expect(anchored.length).toBeGreaterThan(5)
    const missing = anchored.filter(
      ({ path, anchor }) => !anchors(readPage(path)).has(anchor ?? ''),
    )
    expect(missing.map(({ page, target }) => `${page}: ${target}`)).toEqual([])
  })

  it('when read, then no page tells the history of the repository', () => {
    expect(everyPage(historyIn)).toEqual([])
  })

  it('when a page names `make X`, then X is a target of the Makefile', () => {
    expect(everyPage(makeCommands).length).toBeGreaterThan(10)
    expect(
      everyPage((text) => makeCommands(text).filter((target) => !makeTargets.has(target))),
    ).toEqual([])
  })

  it('when a page names `npm run X`, `npm start` or `npm test`, then that script exists', () => {
    expect(everyPage(npmCommands).length).toBeGreaterThan(10)
    expect(
      everyPage((text) => npmCommands(text).filter((command) => !scriptExists(command))),
    ).toEqual([])
  })

  it('when a page names a path in the repository, then it exists', () => {
    expect(everyPage(repoPaths).length).toBeGreaterThan(10)
    expect(
      everyPage((text) => repoPaths(text).filter((path) => !existsSync(join(repoRoot, path)))),
    ).toEqual([])
  })
})

describe('the checks themselves', () => {
  it("when a heading has code, punctuation and capitals, then its id is GitHub's", () => {
    expect(slug('Testing the images and the stack: `make test-containers`')).toBe(
      'testing-the-images-and-the-stack-make-test-containers',
    )
    expect(slug('The prices (us-east-1, looked up 2026-11-24)')).toBe(
      'the-prices-us-east-1-looked-up-2026-11-24',
    )
    expect([...anchors('# Try it\n```sh\n# not a heading\n```\n## Try it\n')]).toEqual([
      'try-it',
      'try-it-1',
    ])
  })

  it("when a page cites its own past, then it is flagged; another project's issue is not", () => {
    expect(historyIn('Part III runs it. See issue 10, as the original project did.')).toEqual([
      'Part III',
      'original project',
      'issue 10',
    ])
    expect(historyIn('aws/copilot-cli issue 6093 is open; issue 6093 says why.')).toEqual([])
  })

  it('when code names commands and paths, then each is found', () => {
    const text =
      '```sh\nmake up STACK=compose\nnpm start -w processor\n```\n`npm run load -- x` `stack/src/up.ts`.'
    expect(makeCommands(text)).toEqual(['up'])
    expect(npmCommands(text)).toEqual(['start -w processor', 'load'])
    expect(repoPaths(text)).toEqual(['stack/src/up.ts'])
  })
})
