/**
 * The tab's `sessionStorage`, used for what should survive a reload of the page but not
 * the tab: the tab's `clientKey` and the last close per route. Storage can be missing
 * (Node, workers), refused (sandboxed iframes, blocked site data: reading the property
 * throws) or full (writing throws); the SDK then keeps the value in memory for the life
 * of the page instead, and never throws.
 */

/** The part of the Web Storage API the SDK uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The page's `sessionStorage`, or undefined where there is none or it refuses access. */
export function pageSessionStorage(): StorageLike | undefined {
  try {
    const storage = (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
    return storage !== null && typeof storage === 'object' ? storage : undefined;
  } catch {
    return undefined;
  }
}

/** One value under `key`: in storage while it works, in memory always. */
export class SessionValue {
  private memory: string | undefined;

  constructor(
    private readonly storage: StorageLike | undefined,
    private readonly key: string,
  ) {}

  get(): string | undefined {
    if (this.storage !== undefined) {
      try {
        const stored = this.storage.getItem(this.key);
        // Another copy of the SDK in the page, or a reload, may have written it.
        if (stored !== null) return stored;
      } catch {
        // Refused after all: memory it is.
      }
    }
    return this.memory;
  }

  set(value: string): void {
    this.memory = value;
    if (this.storage === undefined) return;
    try {
      this.storage.setItem(this.key, value);
    } catch {
      // Full or refused: the value lives in memory until the page goes.
    }
  }
}
