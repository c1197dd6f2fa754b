import { Counter, type Registry } from 'prom-client'

export type InvocationMetrics = ReturnType<typeof createInvocationMetrics>

// What Lambda itself counts for a function (its Invocations and Errors metrics), as the emulation
// sees it. The order counts (orders_processed_total and the rest) are the function's own, counted
// by its order core, so nothing here counts an order: a timed-out invocation shows only here.
export function createInvocationMetrics(registry: Registry) {
  return {
    invocations: new Counter({
      name: 'lambda_invocations_total',
      help: 'Invocations of the function, retries included',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'lambda_errors_total',
      help: 'Invocations that failed, by the error type Lambda would record (Sandbox.Timedout, ...)',
      labelNames: ['error_type'] as const,
      registers: [registry],
    }),
  }
}
