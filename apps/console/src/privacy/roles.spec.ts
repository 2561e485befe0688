import { RoleForbiddenError, parseRoles, requireRole } from './roles';

describe('console roles', () => {
  it('parses agentId:role pairs; unlisted agents are plain agents', () => {
    const roles = parseRoles(' sam:supervisor, dora:dpo ');
    expect([...roles]).toEqual([
      ['sam', 'supervisor'],
      ['dora', 'dpo'],
    ]);
    expect(() => requireRole(roles, 'alice', ['dpo'])).toThrow(RoleForbiddenError);
    expect(() => requireRole(roles, 'dora', ['dpo'])).not.toThrow();
    expect(parseRoles(undefined).size).toBe(0);
  });

  it('refuses an unknown role or a malformed entry with a message naming it', () => {
    expect(() => parseRoles('sam:root')).toThrow(
      /"sam:root" is not "agentId:agent\|supervisor\|dpo"/,
    );
    expect(() => parseRoles('sam')).toThrow(/"sam"/);
  });
});
