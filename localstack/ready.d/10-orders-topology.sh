#!/usr/bin/env bash
# LocalStack runs this once it is ready (mounted into /etc/localstack/init/ready.d/) and it creates
# what `npm run provision` creates: the topic, the queues and the orders table. It runs inside the
# LocalStack image, away from the TypeScript, so the values below repeat stack/src/topology.ts and
# the table's declaration; deploy/test/localstack-parity.test.ts runs this script against the
# embedded emulator and fails on any drift. Running it twice changes nothing.
set -euo pipefail

readonly TOPIC=orders
readonly QUEUE=orders-queue
readonly DLQ=orders-dlq
readonly VISIBILITY_TIMEOUT_SECONDS=30
readonly RETENTION_SECONDS=345600
readonly RECEIVE_WAIT_SECONDS=20
readonly DLQ_RETENTION_SECONDS=1209600
readonly MAX_RECEIVE_COUNT=5
readonly TABLE=orders
readonly TABLE_KEY=order_id
readonly TTL_ATTRIBUTE=expires_at

# LocalStack 4 gives init hooks no credentials; "test" maps to account 000000000000.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"

# A JSON document becomes the string value of an attribute.
json_string() { local escaped=${1//\\/\\\\}; printf '"%s"' "${escaped//\"/\\\"}"; }

queue_arn() {
  awslocal sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn \
    --query Attributes.QueueArn --output text
}

topic_arn=$(awslocal sns create-topic --name "$TOPIC" --query TopicArn --output text)

dlq_url=$(awslocal sqs create-queue --queue-name "$DLQ" \
  --attributes "{\"MessageRetentionPeriod\":\"$DLQ_RETENTION_SECONDS\"}" \
  --query QueueUrl --output text)
dlq_arn=$(queue_arn "$dlq_url")

redrive=$(printf '{"deadLetterTargetArn":"%s","maxReceiveCount":%d}' "$dlq_arn" "$MAX_RECEIVE_COUNT")
queue_url=$(awslocal sqs create-queue --queue-name "$QUEUE" \
  --attributes "$(printf '{"VisibilityTimeout":"%s","MessageRetentionPeriod":"%s","ReceiveMessageWaitTimeSeconds":"%s","RedrivePolicy":%s}' \
    "$VISIBILITY_TIMEOUT_SECONDS" "$RETENTION_SECONDS" "$RECEIVE_WAIT_SECONDS" "$(json_string "$redrive")")" \
  --query QueueUrl --output text)
queue_arn=$(queue_arn "$queue_url")

# Only the orders topic may send to the queue, as on AWS.
policy=$(printf '{"Version":"2012-10-17","Statement":[{"Sid":"orders-topic-sends","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"%s","Condition":{"ArnEquals":{"aws:SourceArn":"%s"}}}]}' \
  "$queue_arn" "$topic_arn")
awslocal sqs set-queue-attributes --queue-url "$queue_url" \
  --attributes "{\"Policy\":$(json_string "$policy")}"

# Raw delivery stays off, as Copilot subscribes: the processor receives the SNS envelope.
subscription_arn=$(awslocal sns subscribe --topic-arn "$topic_arn" --protocol sqs \
  --notification-endpoint "$queue_arn" --attributes RawMessageDelivery=false \
  --return-subscription-arn --query SubscriptionArn --output text)

# One item per order, billed per request, as on AWS (copilot/environments/addons/orders-table.yml).
if ! table_arn=$(awslocal dynamodb describe-table --table-name "$TABLE" \
  --query Table.TableArn --output text 2>/dev/null); then
  table_arn=$(awslocal dynamodb create-table --table-name "$TABLE" \
    --attribute-definitions "AttributeName=$TABLE_KEY,AttributeType=S" \
    --key-schema "AttributeName=$TABLE_KEY,KeyType=HASH" \
    --billing-mode PAY_PER_REQUEST \
    --query TableDescription.TableArn --output text)
  awslocal dynamodb wait table-exists --table-name "$TABLE"
fi

# DynamoDB refuses to enable TTL where it is on already, so only where it is off. LocalStack keeps
# the setting but deletes no expired item unless DYNAMODB_REMOVE_EXPIRED_ITEMS is set; the code
# compares expires_at itself, as it must on AWS, where deletion lags by days.
ttl_status=$(awslocal dynamodb describe-time-to-live --table-name "$TABLE" \
  --query TimeToLiveDescription.TimeToLiveStatus --output text)
case "$ttl_status" in
  ENABLED | ENABLING) ;;
  *)
    awslocal dynamodb update-time-to-live --table-name "$TABLE" \
      --time-to-live-specification "Enabled=true,AttributeName=$TTL_ATTRIBUTE" >/dev/null
    ;;
esac

echo "orders topology ready: topic $topic_arn, queue $queue_url, dlq $dlq_url, subscription $subscription_arn, table $table_arn"
