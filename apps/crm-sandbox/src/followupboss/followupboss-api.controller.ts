import { Controller, Delete, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { queryString, sandboxContext, sendJson, sendNoContent } from '../common/sandbox-request';
import { FollowupbossApiGuard, type FollowupbossRequest } from './followupboss-api.guard';
import type { FubAccount } from './followupboss-store.service';
import { FollowupbossStore } from './followupboss-store.service';
import { FollowupbossError, invalidRequest } from './followupboss.error';

const accountOf = (req: FollowupbossRequest): FubAccount => {
  if (!req.followupboss) throw new FollowupbossError(500, 'the call passed no guard');
  return req.followupboss.account;
};

/** `limit` (1-100, default 10) and `offset` of a list call, and its `_metadata`. */
function page<T>(req: FollowupbossRequest, collection: string, all: T[]) {
  const limit = Math.min(100, Math.max(1, Number(queryString(req, 'limit') ?? 10) || 10));
  const offset = Math.max(0, Number(queryString(req, 'offset') ?? 0) || 0);
  return {
    _metadata: { collection, offset, limit, total: all.length },
    [collection]: all.slice(offset, offset + limit),
  };
}

/** The part of the Follow Up Boss v1 API the connector uses: events in, people and events out, people deleted. */
@Controller('v1')
@UseGuards(FollowupbossApiGuard)
export class FollowupbossApiController {
  constructor(private readonly store: FollowupbossStore) {}

  @Post('events')
  @CrmEndpoint('followupboss.events.create')
  postEvent(@Req() req: FollowupbossRequest, @Res() res: ServerResponse): void {
    if (req.bodyError) throw invalidRequest(`Invalid JSON: ${req.bodyError}`);
    sandboxContext(req).records = 1;
    const answer = this.store.addEvent(accountOf(req), req.body, req.followupboss?.system);
    if (answer.status === 204) sendNoContent(res);
    else sendJson(res, answer.status, answer.person);
  }

  @Get('events')
  @CrmEndpoint('followupboss.events.list')
  events(@Req() req: FollowupbossRequest, @Res() res: ServerResponse): void {
    const personId = queryString(req, 'personId');
    const events = accountOf(req).events.filter(
      (event) => personId === undefined || String(event.personId) === personId,
    );
    sendJson(res, 200, page(req, 'events', events));
  }

  @Get('people')
  @CrmEndpoint('followupboss.people.list')
  people(@Req() req: FollowupbossRequest, @Res() res: ServerResponse): void {
    const email = queryString(req, 'email')?.toLowerCase();
    const people = accountOf(req).people.filter(
      (person) => email === undefined || person.emails.some(({ value }) => value === email),
    );
    sendJson(res, 200, page(req, 'people', people));
  }

  @Get('people/:id')
  @CrmEndpoint('followupboss.people.get')
  person(@Req() req: FollowupbossRequest, @Res() res: ServerResponse, @Param('id') id: string): void {
    const person = accountOf(req).people.find((known) => String(known.id) === id);
    if (!person) throw new FollowupbossError(404, `Person ${id} not found`);
    sendJson(res, 200, person);
  }

  /** DELETE /v1/people/:id: the person and its events; 200 `{}`, 404 when there is no such person. */
  @Delete('people/:id')
  @CrmEndpoint('followupboss.people.delete')
  deletePerson(@Req() req: FollowupbossRequest, @Res() res: ServerResponse, @Param('id') id: string): void {
    if (!this.store.deletePerson(accountOf(req), id))
      throw new FollowupbossError(404, `Person ${id} not found`);
    sendJson(res, 200, {});
  }
}
