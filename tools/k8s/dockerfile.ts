import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// docker/Dockerfile as data: its instructions by stage, for the spec that lints it and for the benches,
// which run each app with the runtime image's allocator settings.

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The FROM image as written (e.g. `${NODE_IMAGE}`). */
  from: string;
  name: string;
  body: Instruction[];
}

export interface Dockerfile {
  text: string;
  instructions: Instruction[];
  stages: Stage[];
  /** An image as FROM names it, its `${ARG}` replaced by the ARG's default. */
  imageOf(from: string): string;
}

export function readDockerfile(root: string): Dockerfile {
  const text = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const stages = instructions.reduce<Stage[]>((all, instruction) => {
    if (instruction.keyword === 'FROM') {
      const [image = '', , name = ''] = instruction.args.split(/\s+/);
      all.push({ from: image, name, body: [] });
    } else all.at(-1)?.body.push(instruction);
    return all;
  }, []);
  const argDefault = (name: string) =>
    instructions
      .find((instruction) => instruction.keyword === 'ARG' && instruction.args.startsWith(`${name}=`))
      ?.args.split('=')[1];
  const imageOf = (from: string) =>
    from.replace(/^\$\{(\w+)\}$/, (_, name: string) => argDefault(name) ?? from);
  return { text, instructions, stages, imageOf };
}

/** The variables the last stage (the image that runs) sets with ENV, in `ENV NAME=value …` form. */
export function runtimeEnvironment(dockerfile: Dockerfile): Record<string, string> {
  const runtime = dockerfile.stages.at(-1)?.body ?? [];
  return Object.fromEntries(
    runtime
      .filter((instruction) => instruction.keyword === 'ENV')
      .flatMap((instruction) => instruction.args.split(/\s+/))
      .map((assignment) => {
        const match = /^(\w+)=(\S*)$/.exec(assignment);
        if (!match) throw new Error(`docker/Dockerfile: ENV ${assignment} is not NAME=value`);
        return [match[1], match[2]];
      }),
  );
}
