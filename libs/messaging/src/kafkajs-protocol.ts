// What the one-pass produce encoder and fetch decoder share: the record batch format (magic 2) they write and
// read, and the way both take over kafkajs' own request definitions for the versions they cover.

export const RECORD_BATCH_MAGIC = 2;
/** Record batch attributes (KIP-98): the compression codec, then single flags. */
export const NO_COMPRESSION = 0;
export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_FLAG = 0x08;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;

/** A kafkajs request definition (`kafkajs/src/protocol/requests/<name>`): a factory per protocol version. */
export interface KafkajsRequestDefinition<Versioned> {
  protocol: (options: { version: number }) => Versioned;
}

const overridden = new WeakSet<object>();

/**
 * Has `definition` hand out `wrap(kafkajs' own factory)` for the versions `covers` accepts. kafkajs' brokers
 * read `definition.protocol` on every request, so this reaches every client in the process; once per definition.
 */
export function overrideRequestVersions<Versioned>(
  definition: KafkajsRequestDefinition<Versioned>,
  covers: (version: number) => boolean,
  wrap: (kafkajs: Versioned) => Versioned,
): void {
  if (overridden.has(definition)) return;
  overridden.add(definition);
  const kafkajsProtocol = definition.protocol;
  definition.protocol = (options) => {
    const versioned = kafkajsProtocol(options);
    return covers(options.version) ? wrap(versioned) : versioned;
  };
}
