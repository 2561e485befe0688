import { loggableId } from './loggable-id.mapper';

describe('loggableId', () => {
  it('keeps opaque ids, cut to 64 characters', () => {
    expect(loggableId('SM0123456789abcdef0123456789abcdef')).toBe(
      'SM0123456789abcdef0123456789abcdef',
    );
    expect(loggableId('x'.repeat(80))).toHaveLength(64);
  });

  it('keeps only the last part of an id that embeds a chat (whatsapp-web.js)', () => {
    expect(loggableId('false_393471234567@c.us_3A01')).toBe('3A01');
  });

  it('hashes an id that still holds an address (an email Message-ID), stably', () => {
    for (const id of ['<giulia.rossi@example.it>', '<x_giulia.rossi@example.it>']) {
      const logged = loggableId(id);
      expect(logged).toMatch(/^sha256:[0-9a-f]{16}$/);
      expect(logged).not.toContain('giulia');
      expect(loggableId(id)).toBe(logged);
    }
    expect(loggableId('<a@example.it>')).not.toBe(loggableId('<b@example.it>'));
  });
});
