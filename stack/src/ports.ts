import { createServer } from 'node:net'

// Fails fast, naming the variable to change, instead of letting a child crash with EADDRINUSE.
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  const taken: string[] = []
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isFree(port))) taken.push(`${port} (${name})`)
  }
  if (taken.length > 0) {
    throw new Error(
      `port ${taken.join(', ')} already in use on 127.0.0.1: stop what holds it (is the stack ` +
        'already up? try `make down`) or set another port in .env',
    )
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

// Asks the OS for a port nobody holds, for processes that must be told their port up front.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}
