// Lambda stops a function at its timeout and counts the invocation as failed. In one process the
// handler cannot be stopped, only abandoned: it may still finish later, and its order core counts
// what it does then. The invocation counts as an error (Sandbox.Timedout) all the same.
export async function runWithTimeout(run: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)
      err.name = 'Sandbox.Timedout'
      reject(err)
    }, timeoutMs)
  })
  try {
    await Promise.race([run(), timedOut])
  } finally {
    clearTimeout(timer)
  }
}
