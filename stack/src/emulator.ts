import { buildApp } from 'fauxqs'

export type Emulator = { endpoint: string; port: number; stop: () => Promise<void> }

// fauxqs's own startFauxqs() listens on 0.0.0.0; an emulator without auth must stay on loopback,
// so its app is built here and listened on 127.0.0.1.
export async function startEmulator(port = 0): Promise<Emulator> {
  const app = buildApp({ logger: false })
  await app.listen({ port, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port')
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close()
    },
  }
}
