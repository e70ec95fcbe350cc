import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ConfigSchema } from '../../src/plugins/config.js';
import { REPO_ROOT } from '../../src/storage/database-url.js';
import { readDockerfile } from '../helpers/dockerfile.js';

// The Compose specification's JSON schema, as the dclint package ships it (its exports
// do not list the file, so it is found beside the package's package.json).
const require = createRequire(import.meta.url);
const SCHEMA_PATH = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const text = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
// `merge: true`: the file shares the image settings through YAML merge keys (<<), as Compose reads them.
const compose = parse(text, { merge: true }) as Compose;
const collector = compose.services.closewatch as Service;
const demo = compose.services.demo as Service;

test('docker-compose.yml is valid against the Compose specification schema', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string; title: string };
  assert.equal(schema.title, 'Compose Specification');
  // The schema names draft-07 by its https address; Ajv knows it by the http one.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema({ ...(require('ajv/dist/refs/json-schema-draft-07.json') as object), $id: 'https://json-schema.org/draft-07/schema' });
  const validate = ajv.compile(schema);
  const valid = validate(compose);
  assert.deepEqual(validate.errors ?? [], [], JSON.stringify(validate.errors, null, 2));
  assert.equal(valid, true);
});

test('the collector service: a named volume holds the database, settings come from the environment, a healthcheck on /readyz', () => {
  // `docker compose up` starts the collector alone; every other service belongs to a profile (demo, another engine).
  assert.deepEqual(Object.entries(compose.services).filter(([, service]) => service.profiles === undefined).map(([name]) => name), ['closewatch']);
  assert.deepEqual(collector.volumes, ['closewatch-data:/app/data']);
  assert.ok('closewatch-data' in compose.volumes);
  assert.equal(collector.environment?.DATABASE_URL, 'file:/app/data/closewatch.db');
  assert.equal(collector.environment?.HOST, '0.0.0.0');
  // Every variable passed is a setting the collector knows (a typo would be ignored silently).
  const settings = Object.keys(ConfigSchema.properties);
  assert.deepEqual(Object.keys(collector.environment ?? {}).filter((name) => !settings.includes(name)), []);
  assert.match(collector.healthcheck?.test?.join(' ') ?? '', /^CMD node -e fetch\('http:\/\/127\.0\.0\.1:8080\/readyz'\)/);
});

test('the image the file builds keeps its data where the volume is mounted', () => {
  const image = readDockerfile().final;
  assert.deepEqual(image.volumes, ['/app/data']);
  assert.equal(image.env.DATABASE_URL, collector.environment?.DATABASE_URL);
  assert.equal(image.env.PORT, collector.environment?.PORT);
  assert.equal(image.user, 'node');
});

test('the demo profile runs the demo fleet from the same image against the collector once it is healthy', () => {
  assert.deepEqual(demo.profiles, ['demo']);
  assert.deepEqual(demo.build, collector.build);
  assert.equal(demo.image, collector.image);
  assert.deepEqual(demo.command, ['node', 'server/dist/demo/main.js']);
  assert.equal(demo.environment?.CLOSEWATCH_URL, 'http://closewatch:8080');
  assert.equal(demo.environment?.CLOSEWATCH_INGEST_KEY, collector.environment?.CLOSEWATCH_INGEST_KEY);
  assert.deepEqual(demo.depends_on, { closewatch: { condition: 'service_healthy' } });
  assert.deepEqual(demo.healthcheck, { disable: true });
});

/** A service's environment as name → value, from either form Compose takes (a map, or a list of `NAME=value`). */
function environmentOf(service: Service): Map<string, string | null> {
  const env = (service.environment ?? {}) as Record<string, string | number | boolean | null> | string[];
  if (Array.isArray(env)) return new Map(env.map((entry) => [entry.split('=')[0] ?? '', entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : null]));
  return new Map(Object.entries(env).map(([name, value]) => [name, value === null ? null : String(value)]));
}

test('no service of any profile ships a secret: each comes from the environment or .env, with no default', () => {
  const SECRETS = ['CLOSEWATCH_INGEST_KEY', 'CLOSEWATCH_READ_TOKEN', 'CLOSEWATCH_ADMIN_PASSWORD'];
  const passed: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(compose.services)) {
    const env = environmentOf(service);
    for (const secret of SECRETS.filter((s) => env.has(s))) {
      // `${NAME}` or `${NAME:-}`: the value of the shell or .env, else unset (the collector then generates
      // one and prints it once). A literal or a `${NAME:-default}` would be the same key on every install.
      // A bare `NAME` in the list form (null here) also passes the shell's value through.
      const value = env.get(secret) ?? null;
      assert.ok(value === null || value === `\${${secret}}` || value === `\${${secret}:-}`, `${name}: ${secret} is ${JSON.stringify(value)}`);
      (passed[name] ??= []).push(secret);
    }
  }
  // The services that take a secret at all: each is checked above, none is missed by a rename.
  assert.deepEqual(passed, {
    closewatch: SECRETS,
    demo: ['CLOSEWATCH_INGEST_KEY'],
    'collector-1': SECRETS,
    'collector-2': SECRETS,
  });
});
