// What each in-process emulator (fauxqs, dynalite) hands back once it listens: where to reach it
// and how to stop it.
export type Emulator = { endpoint: string; port: number; stop: () => Promise<void> }
