import { overrideRequestVersions, type KafkajsRequestDefinition } from './kafkajs-protocol';

describe('overrideRequestVersions', () => {
  const aDefinition = (): KafkajsRequestDefinition<() => string> => ({
    protocol:
      ({ version }) =>
      () =>
        `kafkajs v${version}`,
  });

  it('wraps the factories of the covered versions only, and leaves the others as kafkajs made them', () => {
    const definition = aDefinition();
    overrideRequestVersions(
      definition,
      (version) => version >= 3,
      (kafkajs) => () => `wrapped ${kafkajs()}`,
    );
    expect([2, 3, 7].map((version) => definition.protocol({ version })())).toEqual([
      'kafkajs v2',
      'wrapped kafkajs v3',
      'wrapped kafkajs v7',
    ]);
  });

  it('overrides a definition once, however often it is asked to', () => {
    const definition = aDefinition();
    for (let i = 0; i < 3; i += 1) {
      overrideRequestVersions(
        definition,
        () => true,
        (kafkajs) => () => `wrapped ${kafkajs()}`,
      );
    }
    expect(definition.protocol({ version: 11 })()).toBe('wrapped kafkajs v11');
  });
});
