import type { KubernetesObject } from './render-manifests';

/**
 * The Secrets Strimzi creates for objects of a rendered overlay, with their keys: the cluster CA
 * certificate of each Kafka (`<cluster>-cluster-ca-cert`) and the credentials of each KafkaUser (a Secret
 * of the user's name; `password` and `sasl.jaas.config` for SCRAM-SHA-512).
 */
export function strimziSecrets(objects: KubernetesObject[]): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const object of objects) {
    if (!object.apiVersion.startsWith('kafka.strimzi.io/')) continue;
    if (object.kind === 'Kafka') secrets.set(`${object.metadata.name}-cluster-ca-cert`, ['ca.crt']);
    const authentication = (object['spec'] as { authentication?: { type?: string } } | undefined)
      ?.authentication?.type;
    if (object.kind === 'KafkaUser' && authentication === 'scram-sha-512')
      secrets.set(object.metadata.name, ['password', 'sasl.jaas.config']);
  }
  return secrets;
}
