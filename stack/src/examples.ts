// The requests a newcomer tries first. `make up` prints them and the README shows them; a test
// runs the README's copies against the running stack so neither can drift from the API.
export function curlExamples(receiverUrl: string): string[] {
  const order = (id: string) =>
    `{"order_id":"${id}","customer_id":123,"items":[{"product_id":"SKU-001","quantity":1,"price":19.99}]}`
  const asyncId = '002'
  return [
    `curl -s ${receiverUrl}/health`,
    `curl -s -X POST ${receiverUrl}/orders/sync -H 'Content-Type: application/json' -d '${order('001')}'`,
    `curl -s -X POST ${receiverUrl}/orders/async -H 'Content-Type: application/json' -d '${order(asyncId)}'`,
    // The status of the async order: where its 202 points (Location).
    `curl -s ${receiverUrl}/orders/${asyncId}`,
  ]
}
