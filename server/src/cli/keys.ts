import { parseArgs } from 'node:util';
import { generatePassword, hashPassword } from '../auth/password.js';
import { KeyStore, type KeyListing } from '../storage/keys/key-store.js';
import { AccountStore } from '../storage/accounts/account-store.js';
import { SessionStore } from '../storage/accounts/session-store.js';
import { loadConfig } from '../plugins/config.js';
import { applyMigrations } from '../storage/migrate.js';
import { createPrismaClientFor } from '../storage/prisma-for-url.js';

const USAGE = `Manage closewatch keys, read tokens and the admin password.

  npm run keys -- create --name <name>                      a server key (secret, for back ends)
  npm run keys -- create --name <name> --browser --origin <https://app.example.com> [--origin ...]
                                                            a browser key, allowed from those origins
  npm run keys -- create --read --name <name>               a read token (scripts, Grafana, Prometheus)
  npm run keys -- list                                      every key and token (secrets are never shown again)
  npm run keys -- revoke <id>                               stop accepting a key or token
  npm run keys -- reset-admin-password                      a new dashboard password, printed once

The database is DATABASE_URL (default file:./data/closewatch.db; postgresql://... for PostgreSQL).`;

function formatKey(k: KeyListing): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
  const origins = k.kind === 'browser' ? `  origins: ${k.allowedOrigins.join(', ')}` : '';
  return `${k.id}  ${k.kind.padEnd(7)}  ${k.keyPrefix}...  ${state.padEnd(32)}  created ${k.createdAt.toISOString()}  ${k.name}${origins}`;
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      browser: { type: 'boolean', default: false },
      read: { type: 'boolean', default: false },
      origin: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const config = loadConfig();
  await applyMigrations(config.DATABASE_URL, (line) => process.stderr.write(`closewatch: ${line}\n`));
  const prisma = createPrismaClientFor(config.DATABASE_URL);
  const keys = new KeyStore(prisma);
  try {
    switch (command) {
      case 'create': {
        if (values.name === undefined) throw new Error('create needs --name <name>');
        if (values.read && values.browser) throw new Error('a key is either --read or --browser, not both');
        const { key, secret } = await keys.create({
          name: values.name,
          kind: values.read ? 'read' : values.browser ? 'browser' : 'server',
          allowedOrigins: values.origin ?? [],
        });
        const use = values.read ? 'Read the API with "Authorization: Bearer <token>".' : 'Send events with "Authorization: Bearer <key>".';
        process.stdout.write(`${formatKey(key)}\n\n${secret}\n\nThis is the only time it is shown; store it now. ${use}\n`);
        return 0;
      }
      case 'reset-admin-password': {
        const password = generatePassword();
        await new AccountStore(prisma).setAdminPasswordHash(await hashPassword(password));
        const ended = await new SessionStore(prisma).destroyAll();
        process.stdout.write(
          `The new admin password (shown only this once):\n\n    ${password}\n\n${ended} signed-in session(s) ended. ` +
            'Set CLOSEWATCH_ADMIN_PASSWORD to choose the password yourself (it wins at every start).\n',
        );
        return 0;
      }
      case 'list': {
        const all = await keys.list();
        process.stdout.write(all.length === 0 ? 'No keys yet: `npm run keys -- create --name <name>` makes one.\n' : `${all.map(formatKey).join('\n')}\n`);
        return 0;
      }
      case 'revoke': {
        const id = rest[0];
        if (id === undefined) throw new Error('revoke needs the id of a key (see `npm run keys -- list`)');
        if (!(await keys.revoke(id))) throw new Error(`no active key with id ${id} (see \`npm run keys -- list\`)`);
        process.stdout.write(`revoked ${id}; collectors stop accepting it within 5 s\n`);
        return 0;
      }
      default:
        throw new Error(`unknown command "${command}"\n\n${USAGE}`);
    }
  } finally {
    await prisma.$disconnect();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`closewatch keys: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
