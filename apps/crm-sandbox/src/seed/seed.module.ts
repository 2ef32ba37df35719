import { Module } from '@nestjs/common';
import { HistorySeeder } from './history-seeder.service';
import { SeedController } from './seed.controller';

/** History seeding through the admin API. */
@Module({ controllers: [SeedController], providers: [HistorySeeder] })
export class SeedModule {}
