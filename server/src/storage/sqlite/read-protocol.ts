/** A read for a read worker: SQLite text with `?` placeholders, its values, and when its budget ends (epoch ms). */
export interface ReadRequest {
  type: 'read';
  id: number;
  sql: string;
  values: unknown[];
  deadline: number;
}

export type ReadReply =
  | { type: 'rows'; id: number; rows: Array<Record<string, unknown>> }
  | { type: 'failed'; id: number; overBudget: boolean; code: string | null; message: string };
