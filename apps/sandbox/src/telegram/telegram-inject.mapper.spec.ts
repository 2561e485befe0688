import { InjectRequest, buildUpdate } from './telegram-inject.mapper';

const ids = { updateId: 100, messageId: 7, now: 1_763_870_000, botId: 123 };
const file = { file_id: 'F1', file_unique_id: 'U1', file_size: 1000 };

describe('buildUpdate (the sandbox builds the Update a real Telegram client causes)', () => {
  it('a text from a user in their private chat', () => {
    const r = InjectRequest.parse({ from: { id: 42, firstName: 'Giulia' }, text: 'ciao' });
    expect(buildUpdate(r, ids, {})).toEqual({
      update_id: 100,
      message: {
        message_id: 7,
        date: 1_763_870_000,
        from: { id: 42, is_bot: false, first_name: 'Giulia' },
        chat: { id: 42, type: 'private', first_name: 'Giulia' },
        text: 'ciao',
      },
    });
  });

  it('marks a command with its bot_command entity', () => {
    const r = InjectRequest.parse({ from: { id: 42 }, text: '/start ref' });
    const u = buildUpdate(r, ids, {}) as unknown as { message: { entities: unknown } };
    expect(u.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
  });

  it('a photo comes in two sizes, the largest last, with its caption', () => {
    const r = InjectRequest.parse({ from: { id: 42 }, photo: true, caption: 'eccola' });
    const u = buildUpdate(r, ids, { photo: file }) as unknown as {
      message: { photo: Array<{ file_id: string; width: number }>; caption: string };
    };
    expect(u.message.caption).toBe('eccola');
    expect(u.message.photo.map((p) => [p.file_id, p.width])).toEqual([
      ['F1_s', 90],
      ['F1', 1280],
    ]);
  });

  it("a contact is the sender's own unless another user id (or none) is given", () => {
    const own = InjectRequest.parse({ from: { id: 42 }, contact: { phoneNumber: '3934712' } });
    expect(buildUpdate(own, ids, {})).toMatchObject({
      message: { contact: { phone_number: '3934712', user_id: 42 } },
    });
    const none = InjectRequest.parse({
      from: { id: 42 },
      contact: { phoneNumber: '3934712', userId: null },
    });
    const u = buildUpdate(none, ids, {}) as unknown as {
      message: { contact: Record<string, unknown> };
    };
    expect(u.message.contact).not.toHaveProperty('user_id');
  });

  it('a block is a my_chat_member update (member → kicked)', () => {
    const r = InjectRequest.parse({ from: { id: 42 }, blocked: true });
    expect(buildUpdate(r, ids, {})).toMatchObject({
      update_id: 100,
      my_chat_member: {
        chat: { id: 42, type: 'private' },
        old_chat_member: { status: 'member' },
        new_chat_member: { status: 'kicked' },
      },
    });
  });

  it('refuses an injection with nothing in it', () => {
    expect(InjectRequest.safeParse({ from: { id: 42 } }).success).toBe(false);
  });
});
