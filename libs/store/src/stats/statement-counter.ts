import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { ClientBase } from 'pg';
import { AsyncCallers } from './async-callers';

/** One statement as the trace keeps it: its shape (never a value) and who sent it. */
export interface TracedStatement {
  seq: number;
  /** When it was sent, epoch ms with a fraction (comparable across the processes of a machine). */
  at: number;
  /** ms from the call to its answer (on PGlite this includes waiting for the single connection). */
  ms: number;
  shape: string;
  /** The first frames of our own code that led to it (app and repository files), no values. */
  caller: string;
}

export interface StatementSnapshot {
  total: number;
  byShape: Array<{ shape: string; count: number }>;
  trace?: TracedStatement[];
}

/** Distinct raw texts kept before counting goes straight to shapes (text with inlined values). */
const MAX_RAW_TEXTS = 2000;
const MAX_TRACE = 5000;

/**
 * The SQL text of a statement without any value in it: string and number literals become `?`, a
 * run of placeholders `$1, $2, ...` becomes `$…` (a list of any length is one shape), whitespace is
 * collapsed. Drizzle sends values as parameters; this also covers any text that inlines one.
 */
export function statementShape(sql: string): string {
  return (
    sql
      .replace(/'(?:[^']|'')*'/g, '?')
      .replace(/\$\d+(?:\s*,\s*\$\d+)+/g, '$…')
      .replace(/(?<![\w$."])-?\d+(?:\.\d+)?(?![\w"])/g, '?')
      .replace(/\s+/g, ' ')
      .trim()
      // drizzle sends `begin` on node-postgres, PGlite its own `BEGIN`: one shape for both.
      .replace(/^(begin|commit|rollback)$/i, (w) => w.toUpperCase())
  );
}

/**
 * Counts the statements one process sends, by shape. Counting keys on the raw text (one map
 * increment per statement) and shapes them only when read, so it costs next to nothing while the
 * bench runs; the trace (with the caller from a stack) is for one message at a time.
 */
export class StatementCounter {
  private total = 0;
  private seq = 0;
  private readonly byText = new Map<string, number>();
  private readonly byShape = new Map<string, number>();
  private readonly trace: TracedStatement[] = [];
  private readonly callers: AsyncCallers | null;

  constructor(private readonly tracing: boolean) {
    this.callers = tracing ? new AsyncCallers(callerOf) : null;
  }

  /** Called as a statement is sent; the returned function is called when it has answered. */
  begin(sql: string): () => void {
    this.total++;
    const n = this.byText.get(sql);
    if (n !== undefined) this.byText.set(sql, n + 1);
    else if (this.byText.size < MAX_RAW_TEXTS) this.byText.set(sql, 1);
    else this.bump(this.byShape, statementShape(sql));
    if (!this.tracing) return noop;
    const at = performance.timeOrigin + performance.now();
    const caller = this.callers?.now() ?? '';
    return () => {
      if (this.trace.length >= MAX_TRACE) this.trace.shift();
      const ms = Number((performance.timeOrigin + performance.now() - at).toFixed(2));
      this.trace.push({ seq: ++this.seq, at, ms, shape: statementShape(sql), caller });
    };
  }

  snapshot(): StatementSnapshot {
    const shapes = new Map(this.byShape);
    for (const [text, n] of this.byText) this.bump(shapes, statementShape(text), n);
    const byShape = [...shapes]
      .map(([shape, count]) => ({ shape, count }))
      .sort((a, b) => b.count - a.count);
    return { total: this.total, byShape, ...(this.tracing ? { trace: [...this.trace] } : {}) };
  }

  private bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }
}

function noop(): void {}

/**
 * The frames of our own code (apps/ and libs/, not this counter, the database opener or
 * node_modules), innermost first, as `file:function`, so a statement names its repository and the
 * handler that called it.
 */
export function callerOf(stack: string): string {
  const frames: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = /at (?:async )?(?:(\S+) \()?.*?((?:apps|libs)\/[^:()]+)\.ts:(\d+)/.exec(line);
    if (!m || line.includes('node_modules') || /libs\/store\/src\/(stats|database)/.test(m[2]!)) {
      continue;
    }
    frames.push(`${m[2]}:${m[3]}${m[1] ? ` ${m[1]}` : ''}`);
    if (frames.length === 3) break;
  }
  return frames.join(' < ');
}

type QueryArg = string | { text?: string } | undefined;

function textOf(arg: QueryArg): string {
  return typeof arg === 'string' ? arg : (arg?.text ?? '(prepared)');
}

/**
 * Counts every statement a node-postgres client sends (the pool's own `query` goes through its
 * clients, so hooking each client as it connects counts each statement once).
 */
export function countPgClient(client: ClientBase, counter: StatementCounter): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const done = counter.begin(textOf(args[0] as QueryArg));
    const result = query(...args);
    if (result instanceof Promise) {
      void result.then(done, done);
    } else {
      done();
    }
    return result;
  };
}

/**
 * A PGlite as drizzle sees it, counting each `query` / `exec` and the BEGIN and COMMIT of a
 * transaction. A proxy, so the shared instance (npm start: every app on one PGlite) is unchanged
 * for the other apps, and its methods run on the real object (they use private fields).
 */
export function countingPglite(pg: PGlite, counter: StatementCounter): PGlite {
  return new Proxy(pg, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return counted(target, prop, counter);
      if (prop === 'transaction') {
        return <T>(fn: (tx: Transaction) => Promise<T>) => {
          counter.begin('BEGIN')();
          const run = target.transaction((tx) => fn(countingTransaction(tx, counter)));
          run.then(
            () => counter.begin('COMMIT')(),
            () => counter.begin('ROLLBACK')(),
          );
          return run;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

function countingTransaction(tx: Transaction, counter: StatementCounter): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return counted(target, prop, counter);
      return Reflect.get(target, prop, target) as unknown;
    },
  });
}

function counted<T extends PGlite | Transaction>(
  target: T,
  prop: 'query' | 'exec',
  counter: StatementCounter,
): (sql: string, ...rest: unknown[]) => Promise<unknown> {
  const fn = (target[prop] as (...args: unknown[]) => Promise<unknown>).bind(target);
  return (sql, ...rest) => {
    const done = counter.begin(sql);
    return fn(sql, ...rest).finally(done);
  };
}
