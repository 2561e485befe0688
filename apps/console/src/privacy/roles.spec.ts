import { RoleForbiddenError, isRole, parseRoles, requireRole, seesAllQueues } from './roles';

describe('console roles', () => {
  it('parses agentId:role pairs, admin included', () => {
    const roles = parseRoles(' sam:supervisor, dora:dpo ,ada:admin');
    expect([...roles]).toEqual([
      ['sam', 'supervisor'],
      ['dora', 'dpo'],
      ['ada', 'admin'],
    ]);
    expect(parseRoles(undefined).size).toBe(0);
  });

  it('checks the role of the session, not a lookup by id', () => {
    expect(() => requireRole({ role: 'agent' }, ['dpo'])).toThrow(RoleForbiddenError);
    expect(() => requireRole({ role: 'dpo' }, ['dpo'])).not.toThrow();
    expect(() => requireRole({ role: 'admin' }, ['supervisor'])).toThrow(
      'this action needs the role supervisor',
    );
  });

  it('gives every role but agent all queues', () => {
    expect(seesAllQueues('agent')).toBe(false);
    for (const r of ['supervisor', 'admin', 'dpo'] as const) expect(seesAllQueues(r)).toBe(true);
    expect(isRole('root')).toBe(false);
  });

  it('refuses an unknown role or a malformed entry with a message naming it', () => {
    expect(() => parseRoles('sam:root')).toThrow(
      /"sam:root" is not "agentId:agent\|supervisor\|admin\|dpo"/,
    );
    expect(() => parseRoles('sam')).toThrow(/"sam"/);
    expect(() => parseRoles('sam:admin:x')).toThrow(/"sam:admin:x"/);
  });
});
