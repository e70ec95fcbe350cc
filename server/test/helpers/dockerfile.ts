import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/storage/database-url.js';

/** One `COPY`: from the build context, or `--from` another stage. */
export interface Copy {
  from: string | null;
  sources: string[];
  dest: string;
}

/** One `FROM` stage of the Dockerfile, with what the tests run or compare. */
export interface Stage {
  name: string | null;
  /** The base image, with `ARG` defaults put in. */
  from: string;
  workdir: string;
  /** In order: `RUN` (shell form) and `COPY` steps. */
  steps: Array<{ run: string } | { copy: Copy }>;
  env: Record<string, string>;
  volumes: string[];
  user: string | null;
  entrypoint: string[];
  cmd: string[];
  /** The exec form command of `HEALTHCHECK CMD [...]`. */
  healthcheck: string[];
}

export interface Dockerfile {
  /** `ARG` defaults before or between stages. */
  args: Record<string, string>;
  stages: Stage[];
  stage(name: string): Stage;
  /** The last stage: the image. */
  final: Stage;
}

/** Instructions with their continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ keyword: string; args: string }> {
  const joined = text.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

function execForm(args: string, what: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`${what} must be in exec form (a JSON array of strings): ${args}`);
  return parsed;
}

/** Parses the subset of Dockerfile syntax this repository's Dockerfile uses, and refuses the rest. */
export function parseDockerfile(text: string): Dockerfile {
  const stages: Stage[] = [];
  const defaults: Record<string, string> = {};
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      defaults[name] = value;
      continue;
    }
    if (keyword === 'FROM') {
      const name = /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? null;
      const from = (args.split(/\s+/)[0] ?? '').replace(/\$\{(\w+)\}/g, (_, arg: string) => defaults[arg] ?? '');
      stages.push({ name, from, workdir: '/', steps: [], env: {}, volumes: [], user: null, entrypoint: [], cmd: [], healthcheck: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage === undefined) throw new Error(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = args;
        break;
      case 'RUN':
        stage.steps.push({ run: args });
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop();
        if (dest === undefined || paths.length === 0) throw new Error(`COPY needs sources and a destination: ${args}`);
        stage.steps.push({ copy: { from, sources: paths, dest } });
        break;
      }
      case 'ENV':
        for (const pair of args.split(/\s+/)) {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new Error(`ENV must be KEY=value pairs: ${args}`);
          stage.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      case 'VOLUME':
        stage.volumes.push(...execForm(args, 'VOLUME'));
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = execForm(args, 'ENTRYPOINT');
        break;
      case 'CMD':
        stage.cmd = execForm(args, 'CMD');
        break;
      case 'HEALTHCHECK': {
        const at = args.indexOf(' CMD ');
        if (at < 0) throw new Error(`HEALTHCHECK needs CMD [...]: ${args}`);
        stage.healthcheck = execForm(args.slice(at + ' CMD '.length), 'HEALTHCHECK CMD');
        break;
      }
      case 'EXPOSE':
        break;
      default:
        throw new Error(`the Dockerfile uses ${keyword}, which server/test/helpers/dockerfile.ts does not know; teach it, and the image test what it means`);
    }
  }
  const final = stages[stages.length - 1];
  if (final === undefined) throw new Error('the Dockerfile has no FROM');
  return {
    args: defaults,
    stages,
    final,
    stage: (name) => {
      const found = stages.find((s) => s.name === name);
      if (found === undefined) throw new Error(`the Dockerfile has no stage named ${name}`);
      return found;
    },
  };
}

/** The repository's Dockerfile. */
export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
}
