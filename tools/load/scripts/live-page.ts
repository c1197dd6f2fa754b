import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'

const cli = fileURLToPath(new URL('../src/load/cli.ts', import.meta.url))

export type LivePage = { url: string; output: () => string; stop: () => Promise<void> }

// `npm run load -- --web` as a user starts it, resolved once it prints the page's address.
export async function startLivePage(args: string[], env = process.env): Promise<LivePage> {
  const child = spawn(process.execPath, [cli, '--web', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = once(child, 'exit')
  const url = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output += `${line}\n`
        const found = /the live page is on (\S+)/.exec(line)?.[1]
        if (found) resolve(found)
      })
    }
    exited.then(() => reject(new Error(`the load tool exited before serving:\n${output}`)))
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGINT')
    await exited
  }
  try {
    return { url: await url, output: () => output, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

export type RunForm = Partial<
  Record<'scenario' | 'users' | 'spawnRate' | 'duration' | 'host', string>
>

// Fills the form as a person would and presses Start.
export async function startFromForm(page: Page, form: RunForm) {
  const { scenario, ...fields } = form
  if (scenario) await page.selectOption('#f-scenario', scenario)
  for (const [name, value] of Object.entries(fields)) await page.fill(`#f-${name}`, value ?? '')
  await page.click('#start')
}

// What a chart has drawn so far: points per line, and the last value of each.
export async function chartData(page: Page, id: string) {
  return page.evaluate((canvasId) => {
    const chart = (globalThis as unknown as ChartGlobal).Chart.getChart(canvasId)
    return (chart?.data.datasets ?? []).map((d) => ({
      label: d.label,
      points: d.data.length,
      last: d.data.at(-1)?.y ?? null,
    }))
  }, id)
}

type ChartGlobal = {
  Chart: {
    getChart: (
      id: string,
    ) => { data: { datasets: { label: string; data: { y: number | null }[] }[] } } | undefined
  }
}
