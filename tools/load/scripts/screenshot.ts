// The live page's picture in docs/: a real async run against the stack that is up (`make up`),
// started from the form in Chromium and taken at 1280×800 once the queue has drained.
//   PROCESSING_TIME_MS=200 make up      then      npm run load:screenshot
// Any load flag passes through (npm run load:screenshot -- --host URL ...).
import { fileURLToPath } from 'node:url'
import { hasChromium, launchChromium } from './chromium.ts'
import { startFromForm, startLivePage } from './live-page.ts'

const out = fileURLToPath(new URL('../../../docs/load-web.png', import.meta.url))
const form = { scenario: 'async', users: '30', spawnRate: '10', duration: '20' }

if (!hasChromium) {
  console.error(
    'load:screenshot: no Chromium found; apt-get install chromium (or set CHROMIUM_PATH)',
  )
  process.exit(1)
}
const live = await startLivePage([...process.argv.slice(2), '--web-port', '0'])
const chromium = await launchChromium()
try {
  const page = await chromium.context.newPage()
  await page.goto(live.url)
  await page.waitForFunction("document.querySelector('#status').textContent.startsWith('Ready')")
  await startFromForm(page, form)
  // The run, then the drain: the page shows "drained … after the load stopped" when done.
  await page.waitForFunction(
    "/drained|failed/.test(document.querySelector('#status').textContent)",
    undefined,
    {
      timeout: 600_000,
    },
  )
  await page.screenshot({ path: out })
  console.log(`load:screenshot: ${await page.textContent('#status')}\nwrote ${out}`)
} finally {
  await chromium.close()
  await live.stop()
}
