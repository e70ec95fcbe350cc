/**
 * The download side of `npm run bench:export`, in its own process so the collector's
 * process does only collector work: reads the CSV as fast as it comes, counts lines.
 */
process.once('message', (spec: { url: string; token: string }) => {
  void (async () => {
    const t0 = performance.now();
    const res = await fetch(spec.url, { headers: { authorization: `Bearer ${spec.token}` } });
    if (!res.ok || res.body === null) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    process.send?.({ type: 'done', bytes, lines, ms: performance.now() - t0 });
  })().catch((error: unknown) => process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
