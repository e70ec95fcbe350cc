/** Every alerting query key starts with this, so one invalidation (a live alert change, a save) refreshes them all. */
export const ALERTS_KEY = 'alerts';
