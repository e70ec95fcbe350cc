import type { AlertGroupBy } from './rule.js';

/** The group of an alert instance: its service (and route), or nothing for a rule grouped by none. */
export interface AlertGroup {
  service?: string;
  route?: string;
}

/** A canonical key (fixed field order), used as the instance's id and in the database. */
export function groupKey(group: AlertGroup): string {
  const ordered: AlertGroup = {};
  if (group.service !== undefined) ordered.service = group.service;
  if (group.route !== undefined) ordered.route = group.route;
  return JSON.stringify(ordered);
}

export function parseGroupKey(key: string): AlertGroup {
  try {
    const value = JSON.parse(key) as Record<string, unknown>;
    const group: AlertGroup = {};
    if (typeof value.service === 'string') group.service = value.service;
    if (typeof value.route === 'string') group.route = value.route;
    return group;
  } catch {
    return {};
  }
}

/** The group a close of `service` and `route` falls in under `groupBy`. */
export function groupOf(groupBy: AlertGroupBy, service: string, route: string): AlertGroup {
  if (groupBy === 'none') return {};
  if (groupBy === 'route') return { service, route };
  return { service };
}

/** "chat", "chat /ws", or "all services". */
export function describeGroup(group: AlertGroup): string {
  if (group.service === undefined) return 'all services';
  return group.route === undefined ? group.service : `${group.service} ${group.route}`;
}
