import type { ClosewatchOptions } from '@closewatch/sdk';
import { userAgentFamily } from '@closewatch/sdk/user-agent-family';
import { runClient, SCENARIO_WEIGHTS, type Scenario } from './demo-client.js';
import { DemoService } from './demo-service.js';
import { demoClientKey, POPULATIONS } from './populations.js';
import { ReturningClient, type Reconnect } from './returning-client.js';
import { pick, randomInt, seededRandom, type RandomSource } from './seeded-random.js';

/** The demo's services: a chat, a live feed and a trading stream, two instances each. */
export const FLEET = [
  { service: 'chat', routes: ['/ws/rooms', '/ws/dm'] },
  { service: 'feed', routes: ['/live'] },
  { service: 'trading', routes: ['/stream/prices', '/stream/orders'] },
] as const;

export interface FleetOptions {
  collectorUrl: string;
  apiKey: string;
  /** New client connections per second, across the fleet. Default 12. */
  connectionsPerSecond?: number;
  /** Period of the 1011 spike on `feed` and the 1013 spike on `trading`. Default 4 min. */
  spikeEveryMs?: number;
  /** How long a spike lasts. Default 45 s. */
  spikeDurationMs?: number;
  /** Period of a rolling restart (1012) of one instance. Default 90 s. */
  restartEveryMs?: number;
  /** Longest a client keeps its connection before its scenario ends it. Default 6 s. */
  maxLifetimeMs?: number;
  /** Start with a spike instead of waiting a period (tests, impatient demos). Default false. */
  spikeAtStart?: boolean;
  /**
   * Clients per population (well-behaved, eager, fixed) that stay connected to `chat` and
   * `feed` and come back after each server close in their own way. Default 10.
   */
  clientsPerPopulation?: number;
  /**
   * Seed of every random choice (which service, route, scenario and lifetime each client
   * gets, and how servers answer it), so a run can be reproduced. Default: a random seed.
   */
  seed?: number;
  /** Receives progress lines. */
  log?: (line: string) => void;
  /** SDK error reports. */
  onError?: ClosewatchOptions['onError'];
}

export interface Fleet {
  /** Closes seen by the fleet's servers, by code: what the collector should show. */
  readonly closes: ReadonlyMap<number, number>;
  readonly services: readonly DemoService[];
  /** Every return of a population client after a 1001/1012/1013, in order. */
  readonly reconnects: readonly Reconnect[];
  /** Stops clients and servers and delivers every queued event. */
  stop(): Promise<void>;
}

function pickScenario(random: RandomSource): Scenario {
  const entries = Object.entries(SCENARIO_WEIGHTS) as Array<[Scenario, number]>;
  let roll = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [scenario, weight] of entries) if ((roll -= weight) < 0) return scenario;
  return 'client-bye';
}

/** Starts the fleet: real instrumented ws servers on loopback and real clients. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const log = options.log ?? (() => {});
  const closes = new Map<number, number>();
  const sdk: ClosewatchOptions = {
    collectorUrl: options.collectorUrl,
    apiKey: options.apiKey,
    flushIntervalMs: 1000,
    clientKey: demoClientKey,
    ...(options.onError ? { onError: options.onError } : {}),
  };
  const services: DemoService[] = [];
  for (const { service, routes } of FLEET) {
    for (const n of [1, 2]) {
      const s = new DemoService({ service, instance: `${service}-${n}`, routes, sdk, onClose: (code) => closes.set(code, (closes.get(code) ?? 0) + 1) });
      await s.listen();
      services.push(s);
    }
  }
  log(`fleet up: ${services.map((s) => `${s.instance} (ws://127.0.0.1:${s.port}${s.routes.join(',')})`).join(', ')}`);

  const timers: NodeJS.Timeout[] = [];
  const clients = new Set<Promise<void>>();
  let stopping = false;
  const rate = options.connectionsPerSecond ?? 12;
  const seed = options.seed ?? randomInt(Math.random, 2 ** 32);
  // Only the client schedule draws from this sequence, in timer order: the n-th client
  // of a seeded fleet always gets the same service, route, scenario, lifetime and seed.
  const random = seededRandom(seed);
  const tick = setInterval(() => {
    if (stopping) return;
    const target = pick(random, services);
    const route = pick(random, target.routes);
    const lifetime = 200 + randomInt(random, (options.maxLifetimeMs ?? 6000) - 200);
    const scenario = pickScenario(random);
    const client = runClient(`ws://127.0.0.1:${target.port}${route}`, scenario, lifetime, randomInt(random, 2 ** 32));
    clients.add(client);
    void client.finally(() => clients.delete(client));
  }, 1000 / rate);
  timers.push(tick);

  const reconnects: Reconnect[] = [];
  const perPopulation = options.clientsPerPopulation ?? 10;
  const returning = startPopulations(services, perPopulation, seed, reconnects);
  if (perPopulation > 0) {
    const described = POPULATIONS.map((p) => `${perPopulation} ${p.name} (${userAgentFamily(p.userAgent)}, ${p.policy})`);
    log(`client populations on chat and feed: ${described.join(', ')}`);
  }

  let restartIndex = 0;
  let reported = 0;
  timers.push(
    setInterval(() => {
      const target = services[restartIndex++ % services.length] as DemoService;
      log(`rolling restart of ${target.instance}: ${target.restart()} connections closed with 1012/1001`);
      if (reconnects.length > reported) log(`returns since the last restart: ${describeReturns(reconnects.slice(reported))}`);
      reported = reconnects.length;
    }, options.restartEveryMs ?? 90_000),
  );

  const spike = (): void => {
    const feed = services.filter((s) => s.service === 'feed');
    const trading = services.filter((s) => s.service === 'trading');
    log('spike: feed handlers failing (1011), trading overloaded (1013)');
    for (const s of feed) s.crashRate = 0.6;
    for (const s of trading) s.overloaded = true;
    timers.push(
      setTimeout(() => {
        for (const s of feed) s.crashRate = 0.02;
        for (const s of trading) s.overloaded = false;
        log('spike over');
      }, options.spikeDurationMs ?? 45_000),
    );
  };
  if (options.spikeAtStart) spike();
  timers.push(setInterval(spike, options.spikeEveryMs ?? 240_000));

  return {
    closes,
    services,
    reconnects,
    async stop() {
      stopping = true;
      for (const t of timers) clearInterval(t);
      // The staying clients leave first, so their last closes are reported like any other.
      await Promise.all(returning.map((c) => c.stop()));
      await Promise.all(services.map((s) => s.stop()));
      await Promise.allSettled([...clients]);
    },
  };
}

/** The services population clients stay on: not `trading`, which sheds load with 1013 in spikes (an eager population would spin on it). */
const STAYING_SERVICES = new Set(['chat', 'feed']);

/**
 * Starts `perPopulation` clients of each population, each on one service and route of
 * its own (drawn from `seed`, apart from the fleet's client schedule) and on a random
 * instance of that service at every connection.
 */
function startPopulations(services: readonly DemoService[], perPopulation: number, seed: number, reconnects: Reconnect[]): ReturningClient[] {
  const clients: ReturningClient[] = [];
  const staying = services.filter((s) => STAYING_SERVICES.has(s.service));
  for (const population of POPULATIONS) {
    for (let n = 1; n <= perPopulation; n++) {
      const random = seededRandom((seed + clients.length * 7919 + 1) >>> 0);
      const home = pick(random, staying);
      const instances = staying.filter((s) => s.service === home.service);
      const route = pick(random, home.routes);
      clients.push(
        new ReturningClient({
          id: `${population.name}:${n}`,
          population,
          random,
          nextUrl: () => `ws://127.0.0.1:${pick(random, instances).port}${route}?scenario=chat&seed=${randomInt(random, 2 ** 32)}`,
          onReconnect: (reconnect) => reconnects.push(reconnect),
        }),
      );
    }
  }
  return clients;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `eager 3 back after 0.0-0.1 s, fixed 2 after 1.0-1.0 s, ...`, for the restart log. */
function describeReturns(returns: readonly Reconnect[]): string {
  return POPULATIONS.flatMap(({ name }) => {
    const delays = returns.filter((r) => r.population === name).map((r) => r.observedMs);
    return delays.length === 0 ? [] : [`${name} ${delays.length} back after ${seconds(Math.min(...delays))}-${seconds(Math.max(...delays))}`];
  }).join(', ');
}
