import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** README.md and every docs/*.md, as paths relative to the repository root. */
export function docPages(): string[] {
  const docs = readdirSync(`${repoRoot}docs`).filter((name) => name.endsWith('.md'))
  return ['README.md', ...docs.sort().map((name) => `docs/${name}`)]
}

export function readPage(path: string): string {
  return readFileSync(`${repoRoot}${path}`, 'utf8')
}

const fence = /^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm
const inlineCode = /`[^`\n]+`/g

function withoutFences(text: string): string {
  return text.replace(fence, '')
}

/** The text a reader sees as prose: fenced blocks and inline code blanked out. */
export function prose(text: string): string {
  return withoutFences(text).replace(inlineCode, '``')
}

/** Everything in code: the body of each fenced block and of each inline code span. */
export function code(text: string): string[] {
  const blocks = [...text.matchAll(fence)].map(([block]) => block.replace(/^```.*\n/, ''))
  const spans = [...withoutFences(text).matchAll(inlineCode)].map(([span]) => span.slice(1, -1))
  return [...blocks, ...spans]
}

/** The targets of the links and images in the prose, as written (`docs/x.md#anchor`). */
export function linkTargets(text: string): string[] {
  return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target ?? '')
}

/** GitHub's heading ids: lowercase, punctuation dropped except '-' and '_', spaces to '-'. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replaceAll(' ', '-')
}

/** The ids GitHub gives a page's headings; a repeated heading gets -1, -2, … */
export function anchors(text: string): Set<string> {
  const ids = new Set<string>()
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading ?? '')
    let id = base
    for (let n = 1; ids.has(id); n++) id = `${base}-${n}`
    ids.add(id)
  }
  return ids
}

/** The lines starting with `curl ` in README's "## Try it" section, exactly as printed. */
export function tryItCommands(): string[] {
  const section = readPage('README.md').split('\n## Try it\n')[1]?.split('\n## ')[0] ?? ''
  return section.split('\n').filter((line) => line.startsWith('curl '))
}
