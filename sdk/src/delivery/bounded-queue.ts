/**
 * A FIFO ring buffer of fixed capacity that drops its oldest item when full: under a
 * collector outage the newest closes are the ones worth keeping, and memory stays
 * bounded no matter how long the outage lasts.
 */
export class BoundedQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends `item`; returns the oldest item when it had to be evicted to make room. */
  push(item: T): T | undefined {
    if (this.count < this.capacity) {
      this.items[(this.head + this.count) % this.capacity] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  /**
   * Puts items back in front, in order (they are older than everything queued). When
   * there is no room the items that do not fit are the oldest, so they are the ones
   * returned as dropped, exactly as `push` would have evicted them.
   */
  unshiftAll(items: readonly T[]): T[] {
    const room = this.capacity - this.count;
    const dropped = items.length > room ? items.slice(0, items.length - room) : [];
    for (let i = items.length - 1; i >= dropped.length; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.items[this.head] = items[i];
      this.count++;
    }
    return dropped;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.count > 0) out.push(this.shift() as T);
    return out;
  }
}
