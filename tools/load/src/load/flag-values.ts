// Flag values as the command line and the page's form give them: text, checked here.

export function number(raw: string | undefined, flag: string, min = Number.MIN_VALUE) {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < min) {
    throw new Error(`${flag} must be a number ${min === 0 ? '>= 0' : '> 0'}, got "${raw}"`)
  }
  return value
}

export function integer(raw: string | undefined, flag: string) {
  const value = number(raw, flag)
  if (value !== undefined && !Number.isInteger(value)) {
    throw new Error(`${flag} must be a whole number, got "${raw}"`)
  }
  return value
}

export function url(raw: string | undefined, flag: string) {
  if (raw !== undefined && !URL.canParse(raw))
    throw new Error(`${flag} must be a URL, got "${raw}"`)
}
