// The processor counts completed orders in Prometheus text; its counter gives the processed rate
// directly instead of inferring it from queue depth.
export async function readProcessedTotal(processorUrl: string, timeoutMs = 2000): Promise<number> {
  return parseCounter(await readProcessorMetrics(processorUrl, timeoutMs), 'orders_processed_total')
}

export async function readProcessorMetrics(
  processorUrl: string,
  timeoutMs = 2000,
): Promise<string> {
  const res = await fetch(new URL('/metrics', processorUrl), {
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${processorUrl}/metrics answered ${res.status}`)
  return text
}

export function parseCounter(metrics: string, name: string): number {
  let total: number | undefined
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name)) continue
    const rest = line.slice(name.length)
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue
    const value = Number(rest.slice(rest.lastIndexOf(' ') + 1))
    if (Number.isFinite(value)) total = (total ?? 0) + value
  }
  if (total === undefined) throw new Error(`metric ${name} not found`)
  return total
}
