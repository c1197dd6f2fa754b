// dynalite ships no types; this is the part of its API the stack calls (its index.js).
declare module 'dynalite' {
  import type { Server } from 'node:http'

  type Options = { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }
  function dynalite(options?: Options): Server
  export = dynalite
}
