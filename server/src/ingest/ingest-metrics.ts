/** Process-wide ingest counters, exported at /metrics. */
export const ingestMetrics = {
  batches: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  droppedBySdks: 0,
  routesCapped: 0,
};
