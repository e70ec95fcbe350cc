/** Version of this package; sent as `meta.sdk` so the collector can tell SDK builds apart. */
export const SDK_VERSION = '0.1.0';
