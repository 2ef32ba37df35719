import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery } from '@nestjs/swagger';
import type { ListRow } from '@lead-delivery/dead-letters';
import { Logger } from 'nestjs-pino';
import { CurrentOperator } from '../http/current-operator.decorator';
import type { Operator } from '../http/operator-tokens';
import { ProblemException } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { RequiresScope } from '../http/requires-scope.decorator';
import { DeadLetterDocument, DlqTopicDocument, ReplayDocument, ReplayRequest } from './dead-letter.responses';
import { DeadLettersService } from './dead-letters.service';

const DLQ_TOPIC = /^[A-Za-z0-9._-]+\.dlq\.([A-Za-z0-9._-]+)$/;
const SHOWN = 500;

const rowView = (row: ListRow) => ({
  partition: row.partition,
  offset: row.offset,
  lead_id: row.leadId,
  account_id: row.accountId,
  kind: row.kind,
  attempts: row.attempts,
  dead_lettered_at: row.deadLetteredAt,
  replayed: row.replayed,
  reason: row.reason,
  value_omitted: row.valueOmitted,
});

/** The dead letters of every consumer, and their replay: the same operations as `npm run dlq`. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly logger: Logger,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listDeadLetterTopics',
    summary: 'Every DLQ topic and how many records it holds',
  })
  @ApiOkResponse({ type: [DlqTopicDocument] })
  @ApiProblemResponses()
  async topics() {
    const topics = await (await this.deadLetters.connected()).topics();
    return topics.map(({ topic, records }) => ({
      topic,
      consumer_group: DLQ_TOPIC.exec(topic)?.[1] ?? null,
      records,
    }));
  }

  @Get(':topic')
  @ApiOperation({
    operationId: 'listDeadLetters',
    summary:
      "A DLQ topic's records (the newest 500), their reason masked unless the token has the `pii` scope",
  })
  @ApiParam({ name: 'topic', type: String, example: 'leads.enriched.v1.dlq.connector-hubspot' })
  @ApiQuery({ name: 'account', type: String, required: false })
  @ApiOkResponse({ type: [DeadLetterDocument] })
  @ApiProblemResponses(404)
  async list(
    @Param('topic') topic: string,
    @Query('account') account: string | undefined,
    @CurrentOperator() operator: Operator,
  ) {
    const desk = await this.existing(topic);
    const rows = await desk.list(topic, account ? { accountId: account } : {}, {
      limit: SHOWN,
      showPii: operator.scopes.has('pii'),
    });
    return rows.map(rowView);
  }

  @Post(':topic/replay')
  @HttpCode(200)
  @RequiresScope('replay')
  @ApiOperation({
    operationId: 'replayDeadLetters',
    summary:
      "Send dead letters back to their source topic: all, an account's, or one lead of an account; each one once, ever",
  })
  @ApiParam({ name: 'topic', type: String })
  @ApiOkResponse({ type: ReplayDocument })
  @ApiProblemResponses(400, 404)
  async replay(
    @Param('topic') topic: string,
    @Body() request: ReplayRequest,
    @CurrentOperator() operator: Operator,
  ) {
    const desk = await this.existing(topic);
    const summary = await desk.replay(topic, {
      ...(request.account_id !== undefined ? { accountId: request.account_id } : {}),
      ...(request.lead_id !== undefined ? { leadId: request.lead_id } : {}),
    });
    this.logger.log(
      {
        operator: operator.name,
        topic,
        accountId: request.account_id,
        replayed: summary.replayed.length,
        alreadyReplayed: summary.alreadyReplayed,
      },
      'dead letters replayed',
    );
    return {
      replayed: summary.replayed.length,
      already_replayed: summary.alreadyReplayed,
      not_replayable: summary.notReplayable.map((letter) => ({
        partition: letter.partition,
        offset: letter.offset,
        lead_id: letter.leadId,
        account_id: letter.accountId,
        reason: letter.reason,
      })),
    };
  }

  private async existing(topic: string) {
    const desk = await this.deadLetters.connected();
    if (!DLQ_TOPIC.test(topic) || !(await desk.topics()).some((known) => known.topic === topic)) {
      throw ProblemException.notFound(`No dead-letter topic ${topic}.`);
    }
    return desk;
  }
}
