import { readFileSync } from 'node:fs'

export type Instruction = { keyword: string; args: string; stage: number }

// Reads a Dockerfile into instructions, each tagged with the stage (FROM) it belongs to. Comments
// and line continuations are all the syntax these checks need to understand.
export function parseDockerfile(path: string): Instruction[] {
  const lines: string[] = []
  let pending = ''
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim()
    if (line.startsWith('#')) continue
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `
      continue
    }
    const whole = (pending + line).trim()
    pending = ''
    if (whole !== '') lines.push(whole)
  }
  let stage = -1
  return lines.map((line) => {
    const keyword = (line.split(/\s/, 1)[0] ?? '').toUpperCase()
    if (keyword === 'FROM') stage += 1
    return { keyword, args: line.slice(keyword.length).trim(), stage }
  })
}

export function finalStage(instructions: Instruction[]): Instruction[] {
  const last = Math.max(...instructions.map((i) => i.stage))
  return instructions.filter((i) => i.stage === last)
}

// The JSON array of an exec-form CMD or ENTRYPOINT; undefined for the shell form.
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args)
    const isStrings = Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')
    return isStrings ? parsed : undefined
  } catch {
    return undefined
  }
}

// Whether the build context keeps a path, by .dockerignore's rules: the last pattern that matches
// the path or one of its parent folders decides, and `!` patterns put a path back.
export function inBuildContext(ignoreFile: string, path: string): boolean {
  const patterns = readFileSync(ignoreFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  const segments = path.split('/')
  const selfAndParents = segments.map((_, i) => segments.slice(0, i + 1).join('/'))
  let kept = true
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!')
    const glob = negated ? pattern.slice(1) : pattern
    const matcher = globToRegExp(glob)
    if (selfAndParents.some((p) => matcher.test(p))) kept = negated
  }
  return kept
}

// Docker's globs (Go's filepath.Match plus `**`): unlike shell globs, `*` also matches dotfiles.
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '[^/]*')
        .replaceAll('?', '[^/]'),
    )
    .join('.*')
  return new RegExp(`^${source}$`)
}
