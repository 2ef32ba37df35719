/** One event type: its topic, its CloudEvents `type`, and how its Kafka key is derived from its value. */
export interface EventDefinition<Value> {
  readonly topic: string;
  readonly type: string;
  key(value: Value): string;
}

export function defineEvent<Value>(definition: EventDefinition<Value>): EventDefinition<Value> {
  return definition;
}

/** The value type an event definition carries. */
export type EventValue<Definition> = Definition extends EventDefinition<infer Value> ? Value : never;
