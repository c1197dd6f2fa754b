import { down, logs, ps, up } from './stack-commands.ts'

// The local stack's one entry point: `npm run up | down | logs | ps`, which the Makefile's targets
// of the same names call. Settings come from the shell or .env: STACK=compose|embedded,
// EMULATOR=localstack|fauxqs, PROCESSOR=ecs|lambda, NODE_IMAGE.
const commands = { up, down, logs, ps }
const name = process.argv[2]

if (name !== 'up' && name !== 'down' && name !== 'logs' && name !== 'ps') {
  console.error(
    'usage: node stack/src/stack-cli.ts up|down|logs|ps   (STACK=compose|embedded, EMULATOR=localstack|fauxqs, PROCESSOR=ecs|lambda)',
  )
  process.exit(2)
}
// The embedded stack outlives `up`'s promise; it ends the process itself when it stops.
process.exitCode = await commands[name](process.env)
