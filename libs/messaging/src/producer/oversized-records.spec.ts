import { HEADERS } from '@lead-delivery/contracts';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import type { EventPublisher, OutgoingRecord } from './event-publisher';
import { sendDeadLetter, sendUnlessTooLarge } from './oversized-records';

const refusal = (type: string) =>
  // kafkajs wraps the broker's answer in its retry error.
  new KafkaJSNumberOfRetriesExceeded(
    new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 10, retriable: false })),
    { retryCount: 0, retryTime: 100 },
  );

/** A producer that refuses the first `refusals` sends with `error`, then takes everything. */
function fakePublisher(refusals: number, error: () => Error = () => refusal('MESSAGE_TOO_LARGE')) {
  const sent: OutgoingRecord[] = [];
  let attempts = 0;
  const publisher = {
    send: async (record: OutgoingRecord) => {
      if (attempts++ < refusals) throw error();
      sent.push(record);
    },
  } as unknown as EventPublisher;
  return { publisher, sent };
}

function recordingLogger() {
  const lines: Array<{ context: object; message: string }> = [];
  const log = (context: object, message: string) => void lines.push({ context, message });
  return { lines, logger: { debug: log, info: log, warn: log, error: log } as MessagingLogger };
}

const EMAIL = 'jane.doe@example.com';
const deadLetter: OutgoingRecord = {
  topic: 'leads.enriched.v1.dlq.connector-hubspot',
  key: 'lead-1',
  value: JSON.stringify({ lead: { contact: { email: EMAIL } } }),
  headers: {
    [HEADERS.originalTopic]: 'leads.enriched.v1',
    [HEADERS.originalPartition]: '3',
    [HEADERS.originalOffset]: '42',
    [HEADERS.errorKind]: 'record_failed',
    [HEADERS.accountId]: 'acct-1',
  },
};

describe('sendDeadLetter', () => {
  it('sends the dead letter as it is when the broker takes it', async () => {
    const { publisher, sent } = fakePublisher(0);
    const valueOmitted = jest.fn();
    await sendDeadLetter(publisher, deadLetter, { logger: recordingLogger().logger, valueOmitted });
    expect(sent).toEqual([deadLetter]);
    expect(valueOmitted).not.toHaveBeenCalled();
  });

  it('sends it again on its own when its produce request was refused once for its size (a batch-mate may have been the culprit)', async () => {
    const { publisher, sent } = fakePublisher(1);
    const valueOmitted = jest.fn();
    await sendDeadLetter(publisher, deadLetter, { logger: recordingLogger().logger, valueOmitted });
    expect(sent).toEqual([deadLetter]);
    expect(valueOmitted).not.toHaveBeenCalled();
  });

  it.each(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE'])(
    'replaces the value by a stub when the broker refuses the record itself (%s), keeping key and headers',
    async (type) => {
      const { publisher, sent } = fakePublisher(2, () => refusal(type));
      const { logger, lines } = recordingLogger();
      const valueOmitted = jest.fn();

      await sendDeadLetter(publisher, deadLetter, { logger, valueOmitted });

      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        topic: deadLetter.topic,
        key: 'lead-1',
        headers: { ...deadLetter.headers, [HEADERS.valueOmitted]: type },
      });
      expect(JSON.parse(String(sent[0]?.value))).toEqual({
        omitted: 'value too large for the DLQ',
        bytes: Buffer.byteLength(deadLetter.value),
      });
      expect(valueOmitted).toHaveBeenCalledWith(deadLetter.topic);
      expect(lines).toEqual([
        expect.objectContaining({
          context: expect.objectContaining({ originalTopic: 'leads.enriched.v1', originalOffset: '42' }),
        }),
      ]);
      expect(JSON.stringify(lines)).not.toContain(EMAIL);
    },
  );

  it('throws other failures for the caller to retry, stub or not', async () => {
    const down = () => new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    await expect(
      sendDeadLetter(fakePublisher(1, down).publisher, deadLetter, {
        logger: recordingLogger().logger,
        valueOmitted: jest.fn(),
      }),
    ).rejects.toThrow(KafkaJSConnectionError);
    const invalid = () => refusal('INVALID_RECORD');
    await expect(sendUnlessTooLarge(fakePublisher(1, invalid).publisher, deadLetter)).rejects.toThrow(
      KafkaJSNumberOfRetriesExceeded,
    );
  });
});
