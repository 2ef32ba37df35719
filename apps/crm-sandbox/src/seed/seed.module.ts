import { Module } from '@nestjs/common';
import { SeedController } from './seed.controller';

/** History seeding through the admin API, by each CRM module's SandboxCrmView. */
@Module({ controllers: [SeedController] })
export class SeedModule {}
