import { HttpException } from '@nestjs/common';

/** One invalid input: a query parameter by name, or a body member by RFC 6901 JSON pointer. */
export type InputError = { parameter: string; detail: string } | { pointer: string; detail: string };

/** An RFC 9457 problem (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: InputError[];
}

export class ProblemException extends HttpException {
  constructor(problem: Omit<Problem, 'type'> & { type?: string }) {
    super({ type: 'about:blank', ...problem }, problem.status);
  }

  get problem(): Problem {
    return this.getResponse() as Problem;
  }

  static invalidInput(errors: InputError[]): ProblemException {
    return new ProblemException({
      status: 400,
      title: 'Bad Request',
      detail: 'The request has invalid parameters.',
      errors,
    });
  }

  static notFound(detail: string): ProblemException {
    return new ProblemException({ status: 404, title: 'Not Found', detail });
  }
}
