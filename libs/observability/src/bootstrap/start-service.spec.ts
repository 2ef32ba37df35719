import { Controller, Get, Module } from '@nestjs/common';
import pino from 'pino';
import { Registry } from 'prom-client';
import { ObservabilityModule } from '../observability.module';
import { createServiceApp } from './start-service';

@Controller('greeting')
class GreetingController {
  @Get()
  greet(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ logger: pino({ enabled: false }), registry: new Registry() })],
  controllers: [GreetingController],
})
class GreetingModule {}

describe('createServiceApp', () => {
  it('answers over Express without announcing it in an X-Powered-By header', async () => {
    const app = await createServiceApp(GreetingModule);
    await app.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`${await app.getUrl()}/greeting`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ hello: 'world' });
      expect(response.headers.get('x-powered-by')).toBeNull();
    } finally {
      await app.close();
    }
  });
});
