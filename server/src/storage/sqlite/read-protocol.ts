/** A read for a read worker: SQLite text with `?` placeholders, its values, and when its budget ends (epoch ms). */
export interface ReadRequest {
  type: 'read';
  id: number;
  sql: string;
  values: unknown[];
  deadline: number;
  /** Rows as arrays in column order (cheaper to pass between threads than objects). */
  raw: boolean;
  /** A row mapper (registered with the pool) that turns the raw rows into text in the worker. */
  mapper?: string;
}

/** A module the read workers can load to map raw rows to text where they are read. */
export interface RowMapperModule {
  mapRows(rows: unknown[][]): string;
}

export type ReadReply =
  | { type: 'rows'; id: number; rows: Array<Record<string, unknown>> | unknown[][] }
  | { type: 'mapped'; id: number; text: string; rows: number }
  | { type: 'failed'; id: number; overBudget: boolean; code: string | null; message: string };
