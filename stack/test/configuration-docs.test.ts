import { describe, expect, it } from 'vitest'
import { readPage } from './markdown.ts'

// Every file whose zod schema reads the environment: the services, the store, the stack.
const configFiles = [
  'store/src/config.ts',
  'receiver/src/config.ts',
  'processor/src/worker/config.ts',
  'processor/src/lambda/entry.ts',
  'stack/src/embedded-stack.ts',
  'stack/src/lambda/emulation-config.ts',
  'stack/src/fauxqs-server.ts',
]
// Set by Copilot or by the images, never by hand in `.env`.
const injected = new Set([
  'COPILOT_QUEUE_URI',
  'COPILOT_SNS_TOPIC_ARNS',
  'ORDERS_NAME_DDB_TABLE_NAME',
  'READY_FILE',
])
const imageOnly = new Set(['READY_FILE'])

function variablesRead(file: string): string[] {
  const keys = readPage(file).matchAll(/^\s+([A-Z][A-Z0-9_]{2,}): [a-zA-Z]/gm)
  return [...keys].map(([, name = '']) => name)
}

const variables = [...new Set(configFiles.flatMap(variablesRead))].sort()
const documented = readPage('docs/configuration.md')
const example = readPage('.env.example')

describe('configuration docs', () => {
  it('when the config files are read, then they name the variables this test checks', () => {
    expect(variables).toEqual(
      expect.arrayContaining(['ORDERS_TABLE_NAME', 'PORT', 'STORE_TIMEOUT_MS']),
    )
  })

  it.each(variables.filter((name) => !imageOnly.has(name)))(
    'when a service reads %s, then a row of docs/configuration.md names it',
    (name) => {
      expect(documented).toMatch(new RegExp(`^\\|.*\`${name}\``, 'm'))
    },
  )

  it.each(variables.filter((name) => !injected.has(name)))(
    'when a service reads %s, then .env.example shows it',
    (name) => {
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'))
    },
  )
})
