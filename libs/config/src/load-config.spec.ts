import { IsIn, IsInt, IsOptional, IsString, Min, MinLength } from 'class-validator';
import { DatabaseConfig } from './database.config';
import { describeConfig } from './describe-config';
import { IntFromEnv, ListFromEnv, BooleanFromEnv } from './env-transforms';
import { EnvVar } from './env-var.decorator';
import { ConfigError, loadConfig } from './load-config';

class ExampleConfig {
  @EnvVar({ description: 'Port to listen on.' }) @IntFromEnv() @IsInt() @Min(1) PORT = 3000;
  @EnvVar({ description: 'Who to greet.' }) @ListFromEnv() @IsString({ each: true }) NAMES: string[] = [
    'ann',
  ];
  @EnvVar({ description: 'Be loud.' }) @BooleanFromEnv() @IsIn([true, false]) LOUD = false;
  @EnvVar({ description: 'An API token.', secret: true })
  @IsOptional()
  @IsString()
  @MinLength(30)
  TOKEN?: string;
}

describe('loadConfig', () => {
  it('converts, validates and keeps defaults for unset variables', () => {
    const { example } = loadConfig(
      { example: ExampleConfig },
      { PORT: '8080', NAMES: 'ann, bob,', LOUD: 'yes' },
    );
    expect(example).toEqual(
      Object.assign(new ExampleConfig(), { PORT: 8080, NAMES: ['ann', 'bob'], LOUD: true }),
    );
    expect(loadConfig({ example: ExampleConfig }, {}).example.PORT).toBe(3000);
  });

  it('ignores unrelated environment variables', () => {
    const { example } = loadConfig({ example: ExampleConfig }, { PATH: '/bin', PORT: '1' });
    expect(Object.keys(example).sort()).toEqual(['LOUD', 'NAMES', 'PORT', 'TOKEN']);
  });

  it('reports every problem of every fragment at once, naming the variable and hiding secrets', () => {
    const load = () =>
      loadConfig(
        { example: ExampleConfig, database: DatabaseConfig },
        { PORT: 'eighty', LOUD: 'maybe', TOKEN: 'hunter2-very-secret', DATABASE_URL: 'mysql://root:pw@db/x' },
      );
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const { problems, message } = error as ConfigError;
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'LOUD',
        'PORT',
        'TOKEN',
      ]);
      expect(problems.find((problem) => problem.startsWith('PORT'))).toMatch(
        /got "eighty".*Port to listen on/,
      );
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('root:pw');
    }
  });

  it('says when a required variable is not set', () => {
    expect(() => loadConfig({ database: DatabaseConfig }, {})).toThrow(/DATABASE_URL: .*not set/);
  });
});

describe('describeConfig', () => {
  it('lists variables with descriptions and non-secret defaults', () => {
    expect(describeConfig(ExampleConfig)).toEqual([
      { name: 'PORT', description: 'Port to listen on.', default: '3000' },
      { name: 'NAMES', description: 'Who to greet.', default: 'ann' },
      { name: 'LOUD', description: 'Be loud.', default: 'false' },
      { name: 'TOKEN', description: 'An API token.', secret: true },
    ]);
  });
});
