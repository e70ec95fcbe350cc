import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresPrismaClient } from '../../generated/prisma-postgres/client.js';
import type { PrismaClient } from '../sqlite/prisma-client.js';

/**
 * A Prisma client on PostgreSQL (the client generated from prisma/postgres/schema.prisma),
 * typed as the SQLite one: both are generated from one data model, and the stores use
 * none of the fields where they differ (close_event.seq is the only one, and Prisma never
 * reads close_event).
 */
export function createPostgresPrismaClient(url: string): PrismaClient {
  const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4 }) });
  return client as unknown as PrismaClient;
}
