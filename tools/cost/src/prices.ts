// Every price the cost comparison uses, in one place. AWS renders the rates on its pricing pages
// with scripts, so where the page text shows no number the figure comes from a dated transcription
// of that page, named in `source` after the AWS page itself. Looked up with the project's search
// tool; change a figure here and every table follows. A price looked up on another day than the
// rest carries its own date.
export type Price = { value: number; unit: string; source: string; lookedUp?: string }

export const region = 'us-east-1'
export const lookedUp = '2026-11-24'
// AWS's pricing calculator bills a month as 730 hours.
export const hoursPerMonth = 730

export const prices = {
  fargateVcpuHour: {
    value: 0.04048,
    unit: 'per vCPU-hour, Linux/x86',
    source:
      'https://aws.amazon.com/fargate/pricing/ (rate as of June 2026: https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/)',
  },
  fargateGbHour: {
    value: 0.004445,
    unit: 'per GB-hour, Linux/x86',
    source:
      'https://aws.amazon.com/fargate/pricing/ (rate as of June 2026: https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/)',
  },
  // AWS publishes no fixed Spot rate, only a live table and "up to a 70% discount"; no us-east-1
  // Spot figure was found. 70 % is that ceiling: the cheapest Spot can be, so it favours ECS.
  fargateSpotDiscount: {
    value: 0.7,
    unit: 'off the on-demand rate (Fargate Spot, at most)',
    source:
      'https://aws.amazon.com/fargate/pricing/ ("up to a 70% discount"); illustrative rates: https://fortem.dev/fargate-spot/',
  },
  publicIpv4Hour: {
    value: 0.005,
    unit: 'per public IPv4 address-hour',
    source:
      'https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/ (rate: https://www.doit.com/aws-public-ipv4-price-increase-the-complete-guide/)',
  },
  lambdaRequest: {
    value: 0.2 / 1e6,
    unit: 'per request ($0.20 per million)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  // First pricing tier: up to 6 billion GB-seconds a month (x86), 7.5 billion (Arm).
  lambdaGbSecondX86: {
    value: 0.0000166667,
    unit: 'per GB-second, x86_64',
    source:
      'https://aws.amazon.com/lambda/pricing/ (tiers: https://cloudchipr.com/blog/aws-lambda-pricing)',
  },
  lambdaGbSecondArm: {
    value: 0.0000133334,
    unit: 'per GB-second, arm64',
    source:
      'https://aws.amazon.com/lambda/pricing/ (tiers: https://cloudchipr.com/blog/aws-lambda-pricing)',
  },
  lambdaFreeRequests: {
    value: 1e6,
    unit: 'requests a month, always free',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaFreeGbSeconds: {
    value: 400_000,
    unit: 'GB-seconds a month, always free',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  snsPublish: {
    value: 0.5 / 1e6,
    unit: 'per publish of up to 64 KB ($0.50 per million)',
    source:
      'https://aws.amazon.com/sns/pricing/ (https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/)',
  },
  snsFreePublishes: {
    value: 1e6,
    unit: 'publishes a month, always free',
    source: 'https://aws.amazon.com/sns/pricing/',
  },
  // SNS charges per delivery only for HTTP, email, SMS and mobile push.
  snsDeliveryToSqsOrLambda: {
    value: 0,
    unit: 'per delivery to SQS or Lambda (no charge)',
    source:
      'https://aws.amazon.com/sns/pricing/ (https://www.deepakkarkala.com/playbooks/aws-for-mlops/async_event_driven/sns)',
  },
  sqsRequest: {
    value: 0.4 / 1e6,
    unit: 'per standard-queue request of up to 64 KB ($0.40 per million, first 100 billion)',
    source: 'https://aws.amazon.com/sqs/pricing/ (https://cloudburn.io/blog/amazon-sqs-pricing)',
  },
  sqsFreeRequests: {
    value: 1e6,
    unit: 'requests a month, always free',
    source: 'https://aws.amazon.com/sqs/pricing/ (https://cloudburn.io/blog/amazon-sqs-pricing)',
  },
  albHour: {
    value: 0.0225,
    unit: 'per Application Load Balancer-hour',
    source: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  },
  albLcuHour: {
    value: 0.008,
    unit: 'per LCU-hour',
    source: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  },
  kmsKeyMonth: {
    value: 1,
    unit: 'per KMS key-month',
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  // The orders table: on-demand, Standard table class. AWS's on-demand page draws its rates with
  // scripts, and its stored copy defines the units but shows no figure. The figures are those of
  // AWS's own DynamoDB cost calculator (aws/agent-toolkit-for-aws at d6ad2e4, 2026-08-20) and of a
  // July 2025 transcription, and they are the $1.25 and $0.25 per million of 2019 (jun711.github.io,
  // a copy of the page then) halved by the 50 % on-demand cut of November 2024 (jusdb.com,
  // airbyte.com). One 2026 page (infratally.com) still quotes $0.25 per million reads, the rate
  // before the cut. Confirm on the AWS page or the Price List API before relying on them.
  dynamodbWriteRequestUnit: {
    value: 0.625 / 1e6,
    unit: 'per write request unit: one write of up to 1 KB ($0.625 per million, on-demand)',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (rate: https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/specialized-skills/database-skills/amazon-dynamodb/scripts/calculate_costs.py; https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
    lookedUp: '2026-12-01',
  },
  dynamodbReadRequestUnit: {
    value: 0.125 / 1e6,
    unit: 'per read request unit: one strongly consistent read of up to 4 KB ($0.125 per million, on-demand)',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (rate: https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/specialized-skills/database-skills/amazon-dynamodb/scripts/calculate_costs.py; https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
    lookedUp: '2026-12-01',
  },
  dynamodbStorageGbMonth: {
    value: 0.25,
    unit: 'per GB-month of table storage beyond the free 25 GB',
    source: 'https://aws.amazon.com/dynamodb/pricing/',
    lookedUp: '2026-12-01',
  },
  dynamodbFreeStorageGb: {
    value: 25,
    unit: 'GB of table storage a month, always free',
    source: 'https://aws.amazon.com/dynamodb/pricing/',
    lookedUp: '2026-12-01',
  },
  // No AWS page read here shows the figure; only a third-party summary of AWS's page does.
  dynamodbPitrGbMonth: {
    value: 0.2,
    unit: 'per GB-month of table size with point-in-time recovery on',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (rate: https://finops.com.py/services/dynamodb/backups)',
    lookedUp: '2026-12-01',
  },
} as const satisfies Record<string, Price>

// Every day a price was looked up on, for the tables' headings: "2026-11-24 and 2026-12-01".
export const lookedUpOn = (table: Record<string, Price>) =>
  [...new Set(Object.values(table).map((p) => p.lookedUp ?? lookedUp))].sort().join(' and ')

export type Prices = { [K in keyof typeof prices]: Price }

// What one ALB LCU covers (the highest dimension is billed): 25 new connections a second, or 1 GB
// processed an hour for container targets. Source: https://aws.amazon.com/elasticloadbalancing/pricing/
export const lcu = { newConnectionsPerSecond: 25, gbPerHour: 1 }
