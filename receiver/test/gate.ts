import type { ProcessOrder } from '@orders/order/payment'

// A promise the test opens when it chooses: nothing waits on how long anything takes.
export function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open: () => open() }
}

// A payment that ends only once the test opens the gate; `started` lists the orders it began.
export function gatedPayment() {
  const started: string[] = []
  const { opened, open } = gate()
  const processOrder: ProcessOrder = async (order) => {
    started.push(order.order_id)
    await opened
    return { ...order, status: 'completed' }
  }
  return { processOrder, started, open }
}
