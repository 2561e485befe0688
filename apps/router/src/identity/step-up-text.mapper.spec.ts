import type { StepUpOperation } from '@omnigate/contracts';
import { stepUpText } from './step-up-text.mapper';

const unblock: StepUpOperation = {
  action: 'unblock_card',
  card: { brand: 'visa', last4: '4821' },
  requestedBy: { kind: 'agent', id: 'alice' },
  via: 'telegram',
  reason: 'fraud_block',
  expiresAt: '2026-11-23T10:05:00.000Z',
};

describe('stepUpText', () => {
  it('names the action, the card, who asks, through which channel and why, in Italian and English', () => {
    const [it, en] = stepUpText(unblock, 5).split('\n');
    expect(it).toContain('l’operatore alice');
    expect(it).toContain('via Telegram');
    expect(it).toContain('SBLOCCARE la tua carta Visa •••• 4821');
    expect(it).toContain('sistema antifrode');
    expect(it).toContain('una volta, entro 5 minuti');
    expect(en).toContain('agent alice');
    expect(en).toContain('via Telegram');
    expect(en).toContain('UNBLOCK your Visa •••• 4821 card');
    expect(en).toContain('blocked by our fraud system');
    expect(en).toContain('once, within 5 minutes, and authorises nothing else');
  });

  it('says an identity check authorises nothing, and who asks', () => {
    const text = stepUpText(
      {
        ...unblock,
        action: 'confirm_identity',
        card: undefined,
        requestedBy: { kind: 'bot', id: 'bot' },
        via: 'sms',
        reason: 'identity_check',
      },
      5,
    );
    expect(text).toContain('il nostro assistente automatico, via SMS');
    expect(text).toContain('Approvare non autorizza nessuna operazione');
    expect(text).toContain('our virtual assistant, via SMS');
    expect(text).toContain('Approving authorises no operation');
    expect(text).not.toMatch(/SBLOCCARE|UNBLOCK|••••/);
  });
});
