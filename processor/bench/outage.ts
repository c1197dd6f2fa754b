import type { CountingEmulator } from './emulator.ts'
export async function runOutage(_emulator: CountingEmulator, _server: string) {}
