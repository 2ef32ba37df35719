import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CrmDeliveryEntity } from '../../database/entities/crm-delivery.entity';
import { LeadEventEntity } from '../../database/entities/lead-event.entity';
import { LeadEntity } from '../../database/entities/lead.entity';
import { PersonEntity } from '../../database/entities/person.entity';
import { CrmRecordLinks } from './crm-record-links';
import { deliveryView, leadSummaryView, leadView, personView, timelineView } from './lead.view';
import { encodeCursor, type PageCursor } from './page-cursor';

export interface LeadFilter {
  /** Exactly this lead id, or leads with this (normalised) email or E.164 phone. */
  search?: { leadId: string; email?: string; phoneE164?: string };
  account?: string;
  since?: Date;
  until?: Date;
  tier?: string;
  status?: string;
  destination?: string;
  limit: number;
  after?: PageCursor;
}

/** What names one account's lead. */
export interface LeadRef {
  accountId: string;
  leadId: string;
}

/** A person's leads shown beside one of them; the full list is `GET /accounts/:accountId/people/:personKey`. */
const OTHER_INQUIRIES_SHOWN = 50;
const PERSON_LEADS_SHOWN = 500;

/** Reads for the operator API, newest leads first. */
@Injectable()
export class LeadReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: CrmRecordLinks,
  ) {}

  /**
   * One page, in (lead_timestamp, lead_id, account_id) order descending: keyset pagination over the
   * lead's timestamp and its whole key, so stable under inserts and exact when two accounts share a lead_id.
   */
  async list(filter: LeadFilter) {
    const query = this.dataSource.getRepository(LeadEntity).createQueryBuilder('lead');
    if (filter.account !== undefined)
      query.andWhere('lead.accountId = :account', { account: filter.account });
    if (filter.search) {
      const { leadId, email, phoneE164 } = filter.search;
      const matches = [
        'lead.leadId = :searchLeadId',
        ...(email !== undefined ? ['lead.email = :searchEmail'] : []),
        ...(phoneE164 !== undefined ? ['lead.phoneE164 = :searchPhone'] : []),
      ];
      query.andWhere(`(${matches.join(' OR ')})`, {
        searchLeadId: leadId,
        searchEmail: email,
        searchPhone: phoneE164,
      });
    }
    if (filter.since) query.andWhere('lead.leadTimestamp >= :since', { since: filter.since });
    if (filter.until) query.andWhere('lead.leadTimestamp < :until', { until: filter.until });
    if (filter.tier !== undefined) query.andWhere('lead.tier = :tier', { tier: filter.tier });
    if (filter.status !== undefined || filter.destination !== undefined) {
      const conditions = [
        'delivery.account_id = lead.account_id',
        'delivery.lead_id = lead.lead_id',
        ...(filter.destination !== undefined ? ['delivery.destination = :destination'] : []),
        ...(filter.status !== undefined ? ['delivery.status = :status'] : []),
      ];
      query.andWhere(`EXISTS (SELECT 1 FROM crm_deliveries delivery WHERE ${conditions.join(' AND ')})`, {
        destination: filter.destination,
        status: filter.status,
      });
    }
    if (filter.after) {
      query.andWhere(
        '(lead.leadTimestamp, lead.leadId, lead.accountId) < (:afterTimestamp, :afterId, :afterAccount)',
        {
          afterTimestamp: filter.after.leadTimestamp,
          afterId: filter.after.leadId,
          afterAccount: filter.after.accountId,
        },
      );
    }
    const rows = await query
      .orderBy('lead.leadTimestamp', 'DESC')
      .addOrderBy('lead.leadId', 'DESC')
      .addOrderBy('lead.accountId', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: await this.summaries(this.dataSource.manager, page),
      next_cursor:
        rows.length > filter.limit && last
          ? encodeCursor({
              leadTimestamp: last.leadTimestamp,
              leadId: last.leadId,
              accountId: last.accountId,
            })
          : null,
    };
  }

  /**
   * The lead, its timeline, its deliveries and the other inquiries of the same person to the same
   * account; undefined if unknown. Read from one snapshot: a delivery stored between two of the reads
   * would otherwise show as delivered with no `delivered` entry in the timeline.
   */
  detail({ accountId, leadId }: LeadRef) {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const lead = await manager.getRepository(LeadEntity).findOneBy({ accountId, leadId });
      if (!lead) return undefined;
      const timeline = await manager
        .getRepository(LeadEventEntity)
        .find({ where: { accountId, leadId }, order: { occurredAt: 'ASC', recordedAt: 'ASC' } });
      const deliveries = await manager
        .getRepository(CrmDeliveryEntity)
        .find({ where: { accountId, leadId }, order: { destination: 'ASC' } });
      const person = lead.personKey
        ? await this.personWithLeads(manager, accountId, lead.personKey, OTHER_INQUIRIES_SHOWN + 1)
        : undefined;
      return {
        lead: leadView(lead),
        timeline: timeline.map(timelineView),
        deliveries: deliveries.map((delivery) => deliveryView(delivery, this.links)),
        person: person
          ? {
              ...person.person,
              other_inquiries: person.leads
                .filter((other) => other.lead_id !== leadId)
                .slice(0, OTHER_INQUIRIES_SHOWN),
            }
          : null,
      };
    });
  }

  /** A person of an account and their leads to it, newest first; undefined if unknown. */
  async person(accountId: string, personKey: string) {
    const found = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.personWithLeads(manager, accountId, personKey, PERSON_LEADS_SHOWN),
    );
    return found && { ...found.person, leads: found.leads };
  }

  private async personWithLeads(manager: EntityManager, accountId: string, personKey: string, limit: number) {
    const person = await manager.getRepository(PersonEntity).findOneBy({ accountId, personKey });
    if (!person) return undefined;
    const leads = await manager.getRepository(LeadEntity).find({
      where: { accountId, personKey },
      order: { leadTimestamp: 'DESC', leadId: 'DESC' },
      take: limit,
    });
    return { person: personView(person), leads: await this.summaries(manager, leads) };
  }

  private async summaries(manager: EntityManager, leads: LeadEntity[]) {
    const deliveries =
      leads.length === 0
        ? []
        : await manager.getRepository(CrmDeliveryEntity).find({
            where: leads.map(({ accountId, leadId }) => ({ accountId, leadId })),
            order: { destination: 'ASC' },
          });
    return leads.map((lead) =>
      leadSummaryView(
        lead,
        deliveries.filter(
          (delivery) => delivery.accountId === lead.accountId && delivery.leadId === lead.leadId,
        ),
      ),
    );
  }
}
