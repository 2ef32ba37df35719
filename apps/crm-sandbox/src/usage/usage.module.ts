import { Global, Module } from '@nestjs/common';
import { ApiUsage } from './api-usage.service';
import { UsageController } from './usage.controller';

/** API usage per tenant as the CRMs count it, read and reset through the admin API. */
@Global()
@Module({
  controllers: [UsageController],
  providers: [ApiUsage],
  exports: [ApiUsage],
})
export class UsageModule {}
