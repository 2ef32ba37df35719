import { IsEmail, IsInt, IsOptional, Max } from 'class-validator';
import { ValidateInputPipe } from './validate-input.pipe';
import { ProblemException } from './problem.exception';

class Filters {
  @IsOptional()
  @IsInt()
  @Max(10)
  limit?: number;
}

class Person {
  @IsEmail()
  email!: string;
}

const problemOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    return (error as ProblemException).problem;
  }
  throw new Error('expected a problem');
};

describe('ValidateInputPipe', () => {
  const pipe = new ValidateInputPipe();

  it('returns the DTO instance when the input is valid', async () => {
    await expect(
      pipe.transform({ email: 'a@example.com' }, { type: 'body', metatype: Person }),
    ).resolves.toBeInstanceOf(Person);
  });

  it('names query parameters, one error per parameter, unknown ones included', async () => {
    const problem = await problemOf(
      pipe.transform({ limit: 'x', limt: '5' }, { type: 'query', metatype: Filters }),
    );
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(problem.errors).toHaveLength(2);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { parameter: 'limit', detail: expect.stringContaining('must be an integer number') },
        { parameter: 'limt', detail: 'property limt should not exist' },
      ]),
    );
  });

  it('points into the body with JSON pointers', async () => {
    const problem = await problemOf(pipe.transform({ email: 'nope' }, { type: 'body', metatype: Person }));
    expect(problem.errors).toEqual([{ pointer: '/email', detail: 'must be an email' }]);
  });

  it('reports an object where a scalar belongs as a field error, whatever the object holds', async () => {
    for (const email of [{ constructor: 'x' }, [{ constructor: 'x' }]]) {
      const problem = await problemOf(pipe.transform({ email }, { type: 'body', metatype: Person }));
      expect(problem.errors).toEqual([{ pointer: '/email', detail: 'must be an email' }]);
    }
  });

  it('refuses a body that is not a JSON object', async () => {
    const problem = await problemOf(pipe.transform([1], { type: 'body', metatype: Person }));
    expect(problem.errors).toEqual([{ pointer: '', detail: 'must be a JSON object' }]);
  });

  it('leaves path parameters alone', async () => {
    await expect(pipe.transform('lead-1', { type: 'param', metatype: String })).resolves.toBe('lead-1');
  });
});
