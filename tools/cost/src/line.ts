// One row of a cost table: what is billed, how the amount was worked out, and the dollars.
export type Line = { item: string; detail: string; usd: number }

export const total = (lines: Line[]) => lines.reduce((sum, l) => sum + l.usd, 0)

export const count = (n: number) =>
  n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : n < 1000 ? 1 : 0 })

// Dollars to the cent; amounts too small to show a cent say so rather than print $0.00.
export function usd(n: number): string {
  const sign = n < 0 ? '−' : ''
  const abs = Math.abs(n)
  if (abs > 0 && abs < 0.005) return `${sign}<$0.01`
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

// A unit price as published: $0.0000166667, or $0.20 per million for per-request prices.
export function rate(value: number): string {
  const digits = String(+value.toPrecision(6))
  return `$${/\.\d$/.test(digits) ? `${digits}0` : digits}`
}
export const perMillion = (value: number) => `${rate(value * 1e6)} per million`
