import { StatementCounter, callerOf, statementShape } from './statement-counter';

describe('statementShape', () => {
  it('keeps drizzle placeholders and collapses whitespace', () => {
    expect(statementShape('select "id"\n  from "messages"  where "id" = $1')).toBe(
      'select "id" from "messages" where "id" = $1',
    );
  });

  it('removes every inlined value: strings (with doubled quotes) and numbers', () => {
    expect(
      statementShape(`update "t" set "body" = 'it''s 4111 1111', "n" = -12.5 where "x" > 3`),
    ).toBe('update "t" set "body" = ?, "n" = ? where "x" > ?');
  });

  it('makes a list of placeholders of any length one shape', () => {
    const a = statementShape('select 1 from "t" where "id" in ($1, $2, $3)');
    const b = statementShape('select 1 from "t" where "id" in ($1,$2)');
    expect(a).toBe(b);
    expect(a).toBe('select ? from "t" where "id" in ($…)');
  });

  it('names a transaction the same on both drivers', () => {
    expect(['begin', 'BEGIN', ' commit\n'].map(statementShape)).toEqual([
      'BEGIN',
      'BEGIN',
      'COMMIT',
    ]);
  });

  it('leaves digits that belong to a name', () => {
    expect(statementShape('select "col2", t1."v" from "t1" limit $2')).toBe(
      'select "col2", t1."v" from "t1" limit $2',
    );
  });
});

describe('StatementCounter', () => {
  it('counts by shape, the most frequent first, and keeps no trace unless asked', () => {
    const c = new StatementCounter(false);
    for (const id of [1, 2, 3]) c.begin(`select * from "t" where "id" = ${id}`)();
    c.begin('BEGIN')();
    const s = c.snapshot();
    expect(s.total).toBe(4);
    expect(s.byShape).toEqual([
      { shape: 'select * from "t" where "id" = ?', count: 3 },
      { shape: 'BEGIN', count: 1 },
    ]);
    expect(s.trace).toBeUndefined();
  });

  it('traces each answered statement in order with its shape, never a value', () => {
    const c = new StatementCounter(true);
    const first = c.begin(`insert into "m" values ('Ciao Giulia')`);
    c.begin('COMMIT')();
    first();
    const trace = c.snapshot().trace!;
    expect(trace.map((t) => t.shape)).toEqual(['COMMIT', 'insert into "m" values (?)']);
    expect(trace.map((t) => t.seq)).toEqual([1, 2]);
    expect(JSON.stringify(trace)).not.toContain('Giulia');
  });
});

describe('callerOf', () => {
  it('names our own frames (innermost first) and skips the counter, the opener and packages', () => {
    const stack = [
      'Error',
      '    at StatementCounter.begin (/w/libs/store/src/stats/statement-counter.ts:60:20)',
      '    at PgliteSession.query (/w/node_modules/drizzle-orm/pglite/session.js:67:20)',
      '    at async MessagesRepository.insert (/w/libs/store/src/repositories/messages.repository.ts:41:5)',
      '    at async InboundHandler.handle (/w/apps/router/src/inbound/inbound.handler.ts:88:7)',
    ].join('\n');
    expect(callerOf(stack)).toBe(
      'libs/store/src/repositories/messages.repository:41 MessagesRepository.insert < ' +
        'apps/router/src/inbound/inbound.handler:88 InboundHandler.handle',
    );
  });
});
