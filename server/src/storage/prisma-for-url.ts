import { engineOf } from './database-url.js';
import { createPostgresPrismaClient } from './postgres/prisma-client.js';
import { createPrismaClient, type PrismaClient } from './sqlite/prisma-client.js';

/** A Prisma client on the engine `url` names (the CLIs use it; the collector opens a whole Storage). */
export function createPrismaClientFor(url: string): PrismaClient {
  return engineOf(url) === 'postgres' ? createPostgresPrismaClient(url) : createPrismaClient(url);
}
