#!/bin/sh
# Generated from topicCatalogue() in libs/contracts by `npx tsx tools/k8s/generate-topics.ts`; do not edit.
# The topic-init service of docker/compose.yaml runs it with the Kafka image: it creates what is missing.
set -eu
bootstrap="${KAFKA_BOOTSTRAP_SERVER:-kafka:9092}"
create() {
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1 --config "retention.ms=$3"
}
create leads.received.v1 6 604800000
create leads.enriched.v1 6 604800000
create leads.delivery.v1 6 604800000
create leads.received.v1.dlq.persistence 1 2592000000
create leads.enriched.v1.dlq.persistence 1 2592000000
create leads.delivery.v1.dlq.persistence 1 2592000000
create leads.received.v1.dlq.enrichment 1 2592000000
create leads.enriched.v1.retry.connector-salesforce 6 604800000
create leads.enriched.v1.dlq.connector-salesforce 1 2592000000
create leads.enriched.v1.retry.connector-hubspot 6 604800000
create leads.enriched.v1.dlq.connector-hubspot 1 2592000000
create leads.enriched.v1.retry.connector-followupboss 6 604800000
create leads.enriched.v1.dlq.connector-followupboss 1 2592000000
create crm.erasure-requested.v1 6 604800000
create crm.erasure-completed.v1 6 604800000
create identities.suppressed.v1 1 3888000000
create crm.erasure-requested.v1.dlq.connector-salesforce-erasure 1 2592000000
create crm.erasure-requested.v1.dlq.connector-hubspot-erasure 1 2592000000
create crm.erasure-requested.v1.dlq.connector-followupboss-erasure 1 2592000000
create crm.erasure-completed.v1.dlq.persistence 1 2592000000
echo "topics ready: 20"
